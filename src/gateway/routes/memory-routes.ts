import type { FastifyInstance } from "fastify";
import type { GatewayContext } from "../gateway-context.js";

/** Memory for operators (`openclaw memory status | resync`). */
export function registerMemoryRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/memory", async () => ({
    enabled: context.memoryStatus() !== undefined,
    agents: context.memoryStatus() ?? [],
  }));
  server.post<{ Body: { agentId?: string } | undefined }>("/__openclaw__/memory/resync", async (request) => ({
    resynced: await context.resyncMemory(request.body?.agentId),
  }));
}
