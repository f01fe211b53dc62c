import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { AgentMemoryStatus, MemoryRepairReport } from "../../memory/index.js";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";

/** Memory for operators (`openclaw memory status | resync | repair`). */
export interface MemoryRouteDeps {
  /** Per agent, or undefined when memory is off. */
  status(): AgentMemoryStatus[] | undefined;
  resync(agentId?: string): Promise<string[]>;
  repair(agentId: string, options: { force: boolean }): Promise<MemoryRepairReport>;
}

export function registerMemoryRoutes(server: FastifyInstance, deps: MemoryRouteDeps): void {
  server.get("/__openclaw__/memory", withAccess(OPERATOR_READ), async () => ({
    enabled: deps.status() !== undefined,
    agents: deps.status() ?? [],
  }));
  server.post<{ Body: { agentId?: string } | undefined }>(
    "/__openclaw__/memory/resync",
    withAccess(OPERATOR_ADMIN),
    async (request) => ({
      resynced: await deps.resync(request.body?.agentId),
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
      return deps.repair(agentId, { force: request.body?.force === true });
    },
  );
}
