import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { GatewayMetrics } from "../../metrics/index.js";
import { METRICS, withAccess } from "../access/route-access.js";

export const METRICS_PATH = "/metrics";

/**
 * Serves `GET /metrics` (requests are counted in http-server's onSend hook, by route pattern so
 * that URLs with ids do not each make a series). Behind the auth boundary unless `metrics.public` (see
 * http-auth); both settings are read per request, so a config reload applies them.
 */
export interface MetricsRouteDeps {
  /** Read per request: a reload of metrics.enabled applies at once. */
  enabled(): boolean;
  metrics: Pick<GatewayMetrics, "contentType" | "render">;
}

export function registerMetricsRoutes(server: FastifyInstance, deps: MetricsRouteDeps): void {
  server.get(METRICS_PATH, withAccess(METRICS), async (_request, reply) => {
    if (!deps.enabled()) {
      throw new OpenClawError("OC_ERR_NOT_FOUND", "metrics are off (metrics.enabled is false)", {
        hint: "set metrics.enabled to true in openclaw.json",
      });
    }
    return reply.type(deps.metrics.contentType).send(await deps.metrics.render());
  });
}
