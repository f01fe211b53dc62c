import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const CONFIG_FILE_NAME = "openclaw.json";

function homeDirectory(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** Shells leave `~` alone inside quotes and in env files, so expand it here. */
function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === "~") return homeDirectory(env);
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeDirectory(env), path.slice(2));
  return path;
}

/** `OPENCLAW_STATE_DIR`, else `~/.openclaw`; always absolute. */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.OPENCLAW_STATE_DIR?.trim();
  if (configured) return resolve(expandHome(configured, env));
  return join(homeDirectory(env), ".openclaw");
}

export interface ResolveConfigPathOptions {
  /** The `--config` value, which wins over everything else. */
  explicit?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** `--config`, else `OPENCLAW_CONFIG_PATH`, else `<stateDir>/openclaw.json`; always absolute. */
export function resolveConfigPath(options: ResolveConfigPathOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = options.explicit?.trim();
  if (explicit) return resolve(expandHome(explicit, env));
  const fromEnv = env.OPENCLAW_CONFIG_PATH?.trim();
  if (fromEnv) return resolve(expandHome(fromEnv, env));
  return join(resolveStateDir(env), CONFIG_FILE_NAME);
}

/** The gateway's own log (JSON lines, rotated to `gateway.log.1` …): `openclaw logs` reads it. */
export function gatewayLogPath(stateDir: string): string {
  return join(stateDir, "logs", "gateway.log");
}
