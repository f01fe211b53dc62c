import { realpathSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LAUNCHER = join(PACKAGE_ROOT, "bin/openclaw.mjs");

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * How to run this CLI from the user's shell, for the commands we print (`$(… gateway token)`):
 * `openclaw` only when that name on PATH is this package (`npm link`, a global install), since
 * in a checkout it is not on PATH, or is another program (OpenClaw's own CLI); else `npx openclaw`
 * inside the checkout (npm runs the project's own bin), else the launcher by its path.
 */
export function cliCommand(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const launcher = realpathOrUndefined(LAUNCHER) ?? LAUNCHER;
  for (const directory of (env.PATH ?? "").split(delimiter)) {
    if (directory && realpathOrUndefined(join(directory, "openclaw")) === launcher) return "openclaw";
  }
  const fromRoot = relative(
    realpathOrUndefined(PACKAGE_ROOT) ?? PACKAGE_ROOT,
    realpathOrUndefined(cwd) ?? cwd,
  );
  if (!fromRoot.startsWith("..")) return "npx openclaw";
  return `node ${launcher}`;
}
