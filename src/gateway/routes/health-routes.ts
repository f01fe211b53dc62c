import type { FastifyInstance } from "fastify";
import type { GatewayContext } from "../gateway-context.js";

/** Public probes: they answer without auth, so they say nothing beyond up or ready. */
export function registerHealthRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/health", async () => ({ ok: true }));
  server.get("/readyz", async (_request, reply) => {
    const ready =
      !context.isShuttingDown() && context.supervisor.list().some((agent) => agent.state === "ready");
    return reply.code(ready ? 200 : 503).send({ ready });
  });
}
