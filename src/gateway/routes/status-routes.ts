import type { FastifyInstance } from "fastify";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { StatusReport } from "../status-report.js";

export function registerStatusRoutes(
  server: FastifyInstance,
  deps: { statusReport(): Promise<StatusReport> },
): void {
  server.get("/__openclaw__/status", withAccess(OPERATOR_READ), async () => deps.statusReport());
}
