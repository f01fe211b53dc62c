import type { FastifyInstance } from "fastify";
import { PUBLIC, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

/** Public probes: they answer without auth, so they say nothing beyond up or ready. */
export function registerHealthRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/health", withAccess(PUBLIC), async () => ({ ok: true }));
  server.get("/readyz", withAccess(PUBLIC), async (_request, reply) => {
    const ready =
      !context.isShuttingDown() && context.supervisor.list().some((agent) => agent.state === "ready");
    return reply.code(ready ? 200 : 503).send({ ready });
  });
}
