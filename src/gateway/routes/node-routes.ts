import type { FastifyInstance } from "fastify";
import { OPERATOR_PAIRING, OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

/** Node pairing for operators (`openclaw nodes …`): list, pending, approve, reject, revoke. */
export function registerNodeRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/nodes", withAccess(OPERATOR_READ), async () => ({
    nodes: context.security.nodes.list(),
  }));
  server.get("/__openclaw__/nodes/pending", withAccess(OPERATOR_READ), async () => ({
    nodes: context.security.nodes.pending(),
  }));
  for (const action of ["approve", "reject", "revoke"] as const) {
    server.post<{ Params: { id: string } }>(
      `/__openclaw__/nodes/:id/${action}`,
      withAccess(OPERATOR_PAIRING),
      async (request) => ({
        node: await context.security.nodes[action](request.params.id),
      }),
    );
  }
}
