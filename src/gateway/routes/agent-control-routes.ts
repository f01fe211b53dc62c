import type { FastifyInstance } from "fastify";
import type { AgentSupervisor } from "../../agents/index.js";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";
import { describeAgent } from "../status-report.js";

/**
 * Operator control of agents over HTTP, the same as `openclaw agents …` and the WebSocket
 * `agents.*` methods. Served to loopback clients only until the auth layer guards it.
 */
/** What agent control needs of the supervisor. */
export type AgentControl = Pick<
  AgentSupervisor,
  "list" | "poolSnapshot" | "get" | "kill" | "restart" | "writeHeapSnapshot"
>;

export function registerAgentControlRoutes(
  server: FastifyInstance,
  deps: { agents: AgentControl; diagnosticsDir: string },
): void {
  server.get("/__openclaw__/agents", withAccess(OPERATOR_READ), async () => ({
    agents: deps.agents.list().map(describeAgent),
    pool: deps.agents.poolSnapshot() ?? null,
  }));
  server.get<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id",
    withAccess(OPERATOR_READ),
    async (request) => ({
      agent: describeAgent(deps.agents.get(request.params.id)),
    }),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/kill",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      agent: describeAgent(await deps.agents.kill(request.params.id)),
    }),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/heap-snapshot",
    withAccess(OPERATOR_ADMIN),
    async (request) => deps.agents.writeHeapSnapshot(request.params.id, deps.diagnosticsDir),
  );
  server.post<{ Params: { id: string } }>(
    "/__openclaw__/agents/:id/restart",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      agent: describeAgent(await deps.agents.restart(request.params.id)),
    }),
  );
}
