import { resolve } from "node:path";
import type { GatewayRuntimeState } from "../gateway/runtime-state.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { findRunningGateway } from "./daemon.js";

export interface ConfigInUse {
  /** The file the command reads: `--config`, else the running gateway's, else the CLI's default. */
  configPath: string;
  stateDir: string;
  running: GatewayRuntimeState | undefined;
  /** Set when the running gateway was started with another file than `configPath`. */
  runningConfigPath: string | undefined;
}

/**
 * Which config file a command describes. A gateway started with `--config a.json` keeps using
 * a.json, while a later `openclaw config get` without the flag would read the default file: the
 * newcomer is then shown settings the gateway does not have. So the running gateway's file wins
 * unless `--config` names one, and a difference is reported rather than hidden.
 */
export async function configInUse(options: GlobalOptions): Promise<ConfigInUse> {
  const paths = cliPaths(options);
  const running = await findRunningGateway(paths.stateDir);
  const explicit = options.config?.trim() ? paths.configPath : undefined;
  const configPath = explicit ?? running?.configPath ?? paths.configPath;
  const differs = running !== undefined && resolve(running.configPath) !== resolve(configPath);
  return {
    configPath,
    stateDir: paths.stateDir,
    running,
    runningConfigPath: differs ? running.configPath : undefined,
  };
}

/** The note a command prints when the running gateway uses another file than the one it read. */
export function otherFileNote(inUse: ConfigInUse): string | undefined {
  if (!inUse.running || !inUse.runningConfigPath) return undefined;
  return `note: the running gateway (pid ${inUse.running.pid}) uses ${inUse.runningConfigPath}, not ${inUse.configPath}`;
}
