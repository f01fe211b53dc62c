// `openclaw config get`, apart from the commander wiring so that the fast path (fast-path.ts) runs
// it without loading commander.
import type { OpenClawConfig } from "../config/schema.js";
// Not ../config/index.js: that loads zod and builds the schema, which a cache hit avoids.
import { loadConfigFileCached } from "../config/validated-cache.js";
import type { GlobalOptions } from "./cli-context.js";
import { type ConfigInUse, configInUse, otherFileNote } from "./config-in-use.js";
import { printJson } from "./output.js";

/**
 * The value `config get` prints. A key present in the file (or its defaults) is read straight from
 * the data; only an absent one needs the schema (declared but unset, or a typo to suggest for),
 * and so edit.js and zod.
 */
async function configValueAt(config: OpenClawConfig, path: string): Promise<unknown> {
  const { parseConfigPath, valueAtPath } = await import("../config/config-path.js");
  const present = valueAtPath(config, parseConfigPath(path));
  if (present.found) return present.value;
  const { getConfigValue } = await import("../config/edit.js");
  return getConfigValue(config, path);
}

/** What the running gateway listens on, for the keys a start flag (or port 0) can override. */
function listenedValue(inUse: ConfigInUse, path: string): string | number | undefined {
  if (!inUse.running) return undefined;
  if (path === "gateway.port") return inUse.running.port;
  if (path === "gateway.host") return inUse.running.host;
  return undefined;
}

/** Prints the value at `path` (dotted), or the whole config; credentials redacted. */
export async function printConfigValue(options: GlobalOptions, path: string | undefined): Promise<void> {
  const inUse = await configInUse(options);
  const loaded = await loadConfigFileCached(inUse.configPath, inUse.stateDir);
  const value = path ? await configValueAt(loaded.config, path) : loaded.config;
  const live = path ? listenedValue(inUse, path) : undefined;
  if (live !== undefined && live !== value) {
    // The port the gateway really listens on is what a client needs, not the file's.
    process.stdout.write(`${live}\n`);
    process.stderr.write(
      `note: the running gateway (pid ${inUse.running?.pid}) listens on ${path} ${live}; ${inUse.configPath} says ${String(value)} (overridden by --port/--host at start, or port 0)\n`,
    );
    return;
  }
  const note = otherFileNote(inUse);
  if (note) process.stderr.write(`${note}\n`);
  const { redactCredentials } = await import("../config/redact.js");
  const redacted = redactCredentials(value, path ?? "");
  if (typeof redacted === "string") process.stdout.write(`${redacted}\n`);
  else printJson(redacted);
}
