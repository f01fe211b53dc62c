#!/usr/bin/env node
// Launcher for the `openclaw` command. The gateway needs Node >= 24 (node:sqlite, current
// security fixes); machines whose default `node` is older get re-executed under the Node 24
// that the package pins as a dependency, instead of failing deep inside an import.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// V8's compiled code for our modules and zod's, kept between runs: about a tenth of the CPU of
// each command (bench/cli). Per user, under their cache dir, not the shared /tmp default, since
// whoever can write the cache can feed code to the next run.
const compileCache =
  process.env.NODE_COMPILE_CACHE ??
  join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "openclaw", "compile");

const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split(".")[0]);
const main = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

if (!existsSync(main)) {
  process.stderr.write("openclaw: dist/ is missing; run `npm run build` first\n");
  process.exit(1);
}

if (major >= REQUIRED_MAJOR) {
  module.enableCompileCache?.(compileCache);
  await import(main);
} else {
  const candidates = [
    new URL("../node_modules/node/bin/node", import.meta.url),
    new URL("../../node/bin/node", import.meta.url),
  ].map((url) => fileURLToPath(url));
  const pinned = candidates.find((candidate) => existsSync(candidate));
  if (!pinned) {
    process.stderr.write(
      `openclaw: Node ${REQUIRED_MAJOR} or newer is required, this is ${process.versions.node}.\n` +
        "  fix: install Node 24 LTS, or run `npm install` in the openclaw package to get its pinned Node.\n",
    );
    process.exit(2);
  }
  const result = spawnSync(pinned, [main, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
  });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}
