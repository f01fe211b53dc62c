import type { FastifyInstance } from "fastify";
import { PUBLIC, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

/**
 * Public probes: they answer without auth, so they say nothing beyond up or ready and, when not
 * ready, the kind of reason (no file, no path: status has those, behind auth). `/health` is
 * liveness and stays 200 through a full disk: restarting the process would not free space.
 */
export function registerHealthRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/health", withAccess(PUBLIC), async () => ({ ok: true }));
  server.get("/readyz", withAccess(PUBLIC), async (_request, reply) => {
    const reason = notReadyReason(context);
    return reply.code(reason ? 503 : 200).send(reason ? { ready: false, reason } : { ready: true });
  });
}

function notReadyReason(context: GatewayContext): string | undefined {
  if (context.isShuttingDown()) return "shutting down";
  const storage = context.stateDirHealth.snapshot();
  if (!storage.writable)
    return `state dir disk refuses writes (${storage.code}: ${storage.reason}) since ${storage.failingSince}`;
  if (!context.supervisor.list().some((agent) => agent.state === "ready")) return "no agent is ready";
  return undefined;
}
