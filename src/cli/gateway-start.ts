import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CliPaths } from "./cli-context.js";
import { cliCommand } from "./cli-invocation.js";
import { findRunningGateway, startDetached } from "./daemon.js";
import { degradedAgentLines } from "./degraded-agents.js";

export interface BackgroundStartOptions {
  port?: number;
  host?: string;
  /** Called for a stale gateway.json that was removed: it explains a past crash. */
  onStale?: (message: string) => void;
}

/** What `gateway start` (and `onboard`, which ends with it) prints. */
export interface BackgroundStart {
  lines: string[];
  url: string;
  alreadyRunning: boolean;
}

function certificateFingerprint(path: string): string {
  try {
    return new X509Certificate(readFileSync(path)).fingerprint256;
  } catch {
    return "(unreadable certificate)";
  }
}

/** The seed's status check, with the credential taken from the CLI rather than printed. */
export function statusCurl(url: string): string {
  return `curl -s -H "Authorization: Bearer $(${cliCommand()} gateway token)" ${url}/__openclaw__/status`;
}

/**
 * `gateway start`'s one code path: validate the config here (so that an error is shown and not
 * buried in the log file), start `gateway run` detached, wait until it answers.
 */
export async function startGatewayInBackground(
  paths: CliPaths,
  options: BackgroundStartOptions = {},
): Promise<BackgroundStart> {
  const running = await findRunningGateway(paths.stateDir, options.onStale);
  if (running) {
    return {
      lines: [`gateway is already running (pid ${running.pid}) at ${running.url}`],
      url: running.url,
      alreadyRunning: true,
    };
  }
  const { loadConfigFile } = await import("../config/index.js");
  await loadConfigFile(paths.configPath);
  const extraArgs = [
    ...(options.port !== undefined ? ["--port", String(options.port)] : []),
    ...(options.host ? ["--host", options.host] : []),
  ];
  const { state, logPath } = await startDetached({ ...paths, extraArgs });
  const { readGatewayToken } = await import("../auth/gateway-token.js");
  const token = await readGatewayToken(paths.stateDir).catch(() => undefined);
  const degraded = await degradedAgentLines(state.url, paths.stateDir, state.tlsCertPath);
  return {
    url: state.url,
    alreadyRunning: false,
    lines: [
      `gateway started (pid ${state.pid}) at ${state.url}${degraded.length > 0 ? ", with degraded agents" : ""}`,
      ...degraded,
      `log: ${logPath}`,
      `status: ${statusCurl(state.url)}${state.tlsCertPath ? ` --cacert ${state.tlsCertPath}` : ""}`,
      ...(state.tlsCertPath ? [`tls: SHA-256 fingerprint ${certificateFingerprint(state.tlsCertPath)}`] : []),
      // The fragment never reaches a server or a log; the UI reads it and drops it.
      ...(token ? [`control UI: ${state.url}/#token=${token}`] : []),
    ],
  };
}
