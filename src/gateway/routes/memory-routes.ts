import type { FastifyInstance } from "fastify";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

/** Memory for operators (`openclaw memory status | resync`). */
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
}
