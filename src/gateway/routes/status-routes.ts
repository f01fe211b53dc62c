import type { FastifyInstance } from "fastify";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";
import { buildStatusReport } from "../status-report.js";

export function registerStatusRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/status", withAccess(OPERATOR_READ), async () => buildStatusReport(context));
}
