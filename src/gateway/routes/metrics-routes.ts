import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { GatewayContext } from "../gateway-context.js";

export const METRICS_PATH = "/metrics";

/**
 * Counts every answered request (by route pattern, so that URLs with ids do not each make a
 * series) and serves `GET /metrics`. Behind the auth boundary unless `metrics.public` (see
 * http-auth); both settings are read per request, so a config reload applies them.
 */
export function registerMetricsRoutes(server: FastifyInstance, context: GatewayContext): void {
  const http = context.metrics.http;
  // A callback hook, not an async one: no promise per request on the chat path.
  server.addHook("onResponse", (request, reply, done) => {
    http.record(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    done();
  });
  server.get(METRICS_PATH, async (_request, reply) => {
    if (!context.config().metrics.enabled) {
      throw new OpenClawError("OC_ERR_NOT_FOUND", "metrics are off (metrics.enabled is false)", {
        hint: "set metrics.enabled to true in openclaw.json",
      });
    }
    return reply.type(context.metrics.contentType).send(await context.metrics.render());
  });
}
