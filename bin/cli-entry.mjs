// Which build `openclaw` runs: the bundle (dist/bundle/main.js, written by `npm run build` after
// tsc) when it is there and not older than tsc's last output, else tsc's modules
// (dist/cli/main.js). A `tsc` run alone, as in development, thus never leaves the command running
// yesterday's bundle. An installed package ships no .tsbuildinfo: its bundle is used.
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The entry script to run, as a path; the caller checks it exists. */
export function cliEntry() {
  const bundled = new URL("../dist/bundle/main.js", import.meta.url);
  const modular = new URL("../dist/cli/main.js", import.meta.url);
  const bundledAt = mtime(bundled);
  const builtAt = mtime(new URL("../dist/.tsbuildinfo", import.meta.url));
  const current = bundledAt !== undefined && (builtAt === undefined || bundledAt >= builtAt);
  return fileURLToPath(current ? bundled : modular);
}
