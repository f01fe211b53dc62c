import type { GatewayContext } from "./gateway-context.js";

/** `/__openclaw__/status` and the `status` method: what is running, never a secret. */
export function buildStatusReport(context: GatewayContext) {
  const config = context.config();
  const agents = context.supervisor.list();
  return {
    ok: true,
    service: "openclaw-gateway",
    version: context.version,
    pid: process.pid,
    node: process.versions.node,
    startedAt: new Date(context.startedAt).toISOString(),
    uptimeMs: Math.round(Date.now() - context.startedAt),
    mode: config.gateway.mode,
    listen: { host: config.gateway.host, port: config.gateway.port },
    configPath: context.configPath,
    configLoadedAt: new Date(context.configLoadedAt()).toISOString(),
    activeRuns: context.chat.activeRunCount(),
    agents: agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      runtime: agent.runtime,
      threadBound: agent.threadBound,
      placement: agent.placement,
      state: agent.state,
      reason: agent.reason,
      model: agent.model,
      turnsInFlight: agent.turnsInFlight,
      turnsCompleted: agent.turnsCompleted,
      turnsFailed: agent.turnsFailed,
      lastError: agent.lastError,
    })),
  };
}

export type StatusReport = ReturnType<typeof buildStatusReport>;
