import { fetchJson } from "./daemon.js";

interface AgentState {
  id: string;
  state: string;
  reason?: string;
}

/**
 * The lines `gateway start` adds for agents that cannot serve: a gateway that answers /health
 * may still refuse every turn of an agent whose secret is missing, and "started" alone hides it.
 */
export async function degradedAgentLines(
  url: string,
  stateDir: string,
  caPath: string | undefined,
): Promise<string[]> {
  const status = (await fetchJson(`${url}/__openclaw__/status`, 2000, stateDir, caPath).catch(
    () => undefined,
  )) as { agents?: AgentState[] } | undefined;
  const degraded = (status?.agents ?? []).filter((agent) => agent.state === "degraded");
  if (degraded.length === 0) return [];
  const lines = [
    `warning: ${degraded.length === 1 ? "1 agent is" : `${degraded.length} agents are`} degraded and refuse turns:`,
  ];
  for (const agent of degraded) {
    const [why, ...rest] = (agent.reason ?? "no reason given").split("\n");
    lines.push(`  agent ${agent.id}: ${why}`, ...rest.map((line) => `  ${line.trim()}`));
  }
  return lines;
}
