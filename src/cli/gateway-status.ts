// `openclaw gateway status`, apart from the commander wiring so that the fast path (fast-path.ts)
// runs it without loading commander.
import type { CliPaths } from "./cli-context.js";
import { fetchJson, findRunningGateway } from "./daemon.js";
import { formatDuration, formatTable, printJson } from "./output.js";

/** A stale gateway.json was found and removed: worth a line, as it explains a past crash. */
export function noteStale(message: string): void {
  process.stderr.write(`note: ${message}\n`);
}

export async function printStatus(paths: CliPaths, json: boolean): Promise<number> {
  const running = await findRunningGateway(paths.stateDir, noteStale);
  if (!running) {
    if (json) printJson({ running: false });
    else process.stdout.write("gateway: not running\n");
    return 1;
  }
  const status = (await fetchJson(
    `${running.url}/__openclaw__/status`,
    2000,
    paths.stateDir,
    running.tlsCertPath,
  )) as {
    version: string;
    uptimeMs: number;
    agents: { id: string; state: string; model: string; placement: string; turnsInFlight: number }[];
  };
  if (json) {
    printJson({ running: true, pid: running.pid, url: running.url, logPath: running.logPath, status });
    return 0;
  }
  process.stdout.write(
    `gateway: running (pid ${running.pid}) at ${running.url}, version ${status.version}, up ${formatDuration(status.uptimeMs)}\n`,
  );
  if (running.logPath) process.stdout.write(`log: ${running.logPath}\n`);
  const rows = [["AGENT", "STATE", "MODEL", "PLACEMENT", "IN FLIGHT"]];
  for (const agent of status.agents) {
    rows.push([agent.id, agent.state, agent.model, agent.placement, String(agent.turnsInFlight)]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  return 0;
}
