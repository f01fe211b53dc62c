import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { METRICS, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

export const METRICS_PATH = "/metrics";

/**
 * Serves `GET /metrics` (requests are counted in http-server's onSend hook, by route pattern so
 * that URLs with ids do not each make a series). Behind the auth boundary unless `metrics.public` (see
 * http-auth); both settings are read per request, so a config reload applies them.
 */
export function registerMetricsRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get(METRICS_PATH, withAccess(METRICS), async (_request, reply) => {
    if (!context.config().metrics.enabled) {
      throw new OpenClawError("OC_ERR_NOT_FOUND", "metrics are off (metrics.enabled is false)", {
        hint: "set metrics.enabled to true in openclaw.json",
      });
    }
    return reply.type(context.metrics.contentType).send(await context.metrics.render());
  });
}
