import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";
import { describeAgent } from "../status-report.js";

/**
 * Operator control of agents over HTTP, the same as `openclaw agents …` and the WebSocket
 * `agents.*` methods. Served to loopback clients only until the auth layer guards it.
 */
export function registerAgentControlRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/agents", withAccess(OPERATOR_READ), async () => ({
    agents: context.supervisor.list().map(describeAgent),
    pool: context.supervisor.poolSnapshot() ?? null,
  }));
  server.get<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id",
    withAccess(OPERATOR_READ),
    async (request) => ({
      agent: describeAgent(context.supervisor.get(request.params.id)),
    }),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/kill",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      agent: describeAgent(await context.supervisor.kill(request.params.id)),
    }),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/heap-snapshot",
    withAccess(OPERATOR_ADMIN),
    async (request) =>
      context.supervisor.writeHeapSnapshot(request.params.id, join(context.stateDir, "diagnostics")),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/restart",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      agent: describeAgent(await context.supervisor.restart(request.params.id)),
    }),
  );
}
