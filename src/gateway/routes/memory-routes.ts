import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

/** Memory for operators (`openclaw memory status | resync | repair`). */
export function registerMemoryRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/memory", withAccess(OPERATOR_READ), async () => ({
    enabled: context.memoryStatus() !== undefined,
    agents: context.memoryStatus() ?? [],
  }));
  server.post<{ Body: { agentId?: string } | undefined }>(
    "/__openclaw__/memory/resync",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      resynced: await context.resyncMemory(request.body?.agentId),
    }),
  );
  server.post<{ Body: { agentId?: string; force?: boolean } | undefined }>(
    "/__openclaw__/memory/repair",
    withAccess(OPERATOR_ADMIN),
    async (request) => {
      const agentId = request.body?.agentId;
      if (typeof agentId !== "string" || agentId === "") {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "memory repair needs an agentId", {
          hint: 'send {"agentId": "<agent>"}; openclaw memory status lists the agents',
        });
      }
      return context.repairMemory(agentId, { force: request.body?.force === true });
    },
  );
}
