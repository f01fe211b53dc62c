import { resolveConfigPath, resolveStateDir } from "../config/paths.js";

export interface GlobalOptions {
  config?: string;
}

export interface CliPaths {
  configPath: string;
  stateDir: string;
}

export function cliPaths(options: GlobalOptions): CliPaths {
  return {
    configPath: resolveConfigPath({ explicit: options.config, env: process.env }),
    stateDir: resolveStateDir(process.env),
  };
}

let longRunning = false;

/** Called by `gateway run`: the process must not exit when its command's action returns. */
export function markLongRunning(): void {
  longRunning = true;
}

export function isLongRunning(): boolean {
  return longRunning;
}
