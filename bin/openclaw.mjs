#!/usr/bin/env node
// Launcher for the `openclaw` command. The gateway needs Node >= 24 (node:sqlite, current
// security fixes); machines whose default `node` is older get re-executed under the Node 24
// that the package pins as a dependency, instead of failing deep inside an import.
import { existsSync, readFileSync } from "node:fs";
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliEntry } from "./cli-entry.mjs";

const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split(".")[0]);
const main = cliEntry();
const args = process.argv.slice(2);

if (!existsSync(main)) {
  process.stderr.write("openclaw: dist/ is missing; run `npm run build` first\n");
  process.exit(1);
}

// Scripts call `--version` to check the install: it reads package.json and nothing else, on
// whichever Node runs this (no re-exec, no compile cache, no module of dist/).
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

/**
 * V8's compiled code for our modules and zod's, kept between runs: ≈ 25 ms of the ≈ 145 ms a
 * `config validate` takes without it. Per user, under their cache dir, not the shared /tmp default,
 * since whoever can write the cache can feed code to the next run. Node keys entries by its own
 * version (a subdirectory) and checks each against the source's hash, so an upgrade of openclaw
 * or Node needs no subdirectory of ours. Best effort: a cache that cannot be used is skipped.
 */
function compileCacheDir() {
  if (process.env.NODE_COMPILE_CACHE) return process.env.NODE_COMPILE_CACHE;
  try {
    return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "openclaw", "compile");
  } catch {
    // homedir() throws when neither $HOME nor the password database names one.
    return undefined;
  }
}

if (major >= REQUIRED_MAJOR) {
  const cacheDir = compileCacheDir();
  // An unwritable or missing directory makes enableCompileCache report FAILED, not throw; the
  // try is for what it might still throw on some platform: the cache must never stop a command.
  try {
    if (cacheDir) module.enableCompileCache?.(cacheDir);
  } catch {}
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
  const { spawnSync } = await import("node:child_process");
  const cacheDir = compileCacheDir();
  const result = spawnSync(pinned, [main, ...args], {
    stdio: "inherit",
    env: cacheDir ? { ...process.env, NODE_COMPILE_CACHE: cacheDir } : process.env,
  });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}
