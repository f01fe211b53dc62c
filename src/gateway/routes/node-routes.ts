import type { FastifyInstance } from "fastify";
import type { GatewayContext } from "../gateway-context.js";

/** Node pairing for operators (`openclaw nodes …`): list, pending, approve, reject, revoke. */
export function registerNodeRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/nodes", async () => ({ nodes: context.security.nodes.list() }));
  server.get("/__openclaw__/nodes/pending", async () => ({ nodes: context.security.nodes.pending() }));
  for (const action of ["approve", "reject", "revoke"] as const) {
    server.post<{ Params: { id: string } }>(`/__openclaw__/nodes/:id/${action}`, async (request) => ({
      node: await context.security.nodes[action](request.params.id),
    }));
  }
}
