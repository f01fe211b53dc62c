// `npm start`: build what changed since the last build, then run the gateway in the foreground.
// A full build costs 15-30 s (tsc type-checks everything, Vite bundles the UI), and even an
// incremental tsc with nothing to do parses every file (about 5 s of CPU here); so each part is
// skipped outright when none of its inputs is newer than its output. Directories count too: a
// file added, removed or renamed changes its directory's mtime. A fresh clone has no dist/ and
// builds everything.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliEntry } from "../bin/cli-entry.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (...parts) => join(root, ...parts);

/** The newest mtime (ms) among these files and directories, and everything below them. */
function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(path)) {
      if (entry !== "node_modules") visit(join(path, entry));
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function run(label, args) {
  process.stderr.write(`npm start: ${label}\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const SHARED_INPUTS = [at("package.json"), at("package-lock.json")];

// tsc: incremental (tsconfig.build.json keeps its build info in dist/, so deleting dist/
// starts afresh), and skipped when no source is newer than that build info.
const buildInfo = at("dist/.tsbuildinfo");
const builtAt = existsSync(at("dist/cli/main.js")) ? mtimeOf(buildInfo) : undefined;
const serverInputs = [at("src"), at("tsconfig.json"), at("tsconfig.build.json"), ...SHARED_INPUTS];
if (builtAt === undefined || newestMtime(serverInputs) > builtAt) {
  run("compiling the gateway (tsc)", [at("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
  // tsc leaves its build info untouched when nothing needed emitting: mark the sources seen.
  const now = new Date();
  if (existsSync(buildInfo)) utimesSync(buildInfo, now, now);
} else {
  process.stderr.write("npm start: gateway build is up to date\n");
}
// The bundle `openclaw` runs (scripts/bundle.mjs, about 2 s), redone whenever tsc's output moved.
const bundledAt = mtimeOf(at("dist/bundle/main.js"));
if (bundledAt === undefined || bundledAt < (mtimeOf(buildInfo) ?? Number.POSITIVE_INFINITY)) {
  run("bundling the gateway (rolldown)", [at("scripts/bundle.mjs")]);
}

// Vite empties dist/ui and writes index.html on every build, so its mtime is the build's.
const uiBuiltAt = mtimeOf(at("dist/ui/index.html"));
if (uiBuiltAt === undefined || newestMtime([at("ui"), ...SHARED_INPUTS]) > uiBuiltAt) {
  run("building the Control UI (vite)", [
    at("node_modules/vite/bin/vite.js"),
    "build",
    "--config",
    "ui/vite.config.ts",
    "--logLevel",
    "warn",
  ]);
} else {
  process.stderr.write("npm start: Control UI build is up to date\n");
}

// `npm start -- --port 0` passes its arguments on. The banner shows the Control UI link with
// its token even when output is not a terminal: `npm start` is the local, interactive way in.
// Replaced by the gateway, not parent of it: same pid, signals straight to it, and the command
// line `… dist/bundle/main.js gateway run` by which `openclaw gateway stop|status` know it.
const gatewayArgs = [cliEntry(), "gateway", "run", "--show-token", ...process.argv.slice(2)];
process.execve(process.execPath, [process.execPath, ...gatewayArgs], process.env);
