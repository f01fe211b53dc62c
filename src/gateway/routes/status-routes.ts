import type { FastifyInstance } from "fastify";
import type { GatewayContext } from "../gateway-context.js";
import { buildStatusReport } from "../status-report.js";

export function registerStatusRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/status", async () => buildStatusReport(context));
}
