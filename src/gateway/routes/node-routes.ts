import type { FastifyInstance } from "fastify";
import type { NodeRegistry } from "../../auth/index.js";
import { OPERATOR_PAIRING, OPERATOR_READ, withAccess } from "../access/route-access.js";

/** Node pairing for operators (`openclaw nodes …`): list, pending, approve, reject, revoke. */
export function registerNodeRoutes(
  server: FastifyInstance,
  deps: { nodes: Pick<NodeRegistry, "list" | "pending" | "approve" | "reject" | "revoke"> },
): void {
  server.get("/__openclaw__/nodes", withAccess(OPERATOR_READ), async () => ({
    nodes: deps.nodes.list(),
  }));
  server.get("/__openclaw__/nodes/pending", withAccess(OPERATOR_READ), async () => ({
    nodes: deps.nodes.pending(),
  }));
  for (const action of ["approve", "reject", "revoke"] as const) {
    server.post<{ Params: { id: string } }>(
      `/__openclaw__/nodes/:id/${action}`,
      withAccess(OPERATOR_PAIRING),
      async (request) => ({
        node: await deps.nodes[action](request.params.id),
      }),
    );
  }
}
