import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import { listModelCatalog, type ModelCatalogDeps, probeModelCatalog } from "../model-catalog.js";

const MAX_PROBE_TIMEOUT_MS = 60_000;

/**
 * The configured models for `openclaw models list | status`. Status makes one outbound request
 * per provider, through the egress fetch (so a key only ever goes to its own provider's origin).
 */
export function registerModelCatalogRoutes(server: FastifyInstance, deps: ModelCatalogDeps): void {
  server.get("/__openclaw__/models", withAccess(OPERATOR_READ), async () => listModelCatalog(deps));
  server.get<{ Querystring: { timeoutMs?: string } }>(
    "/__openclaw__/models/status",
    withAccess(OPERATOR_READ),
    async (request) => {
      const raw = request.query.timeoutMs;
      const timeoutMs = raw === undefined ? undefined : Number(raw);
      if (
        timeoutMs !== undefined &&
        (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_PROBE_TIMEOUT_MS)
      ) {
        throw new OpenClawError(
          "OC_ERR_BAD_REQUEST",
          `timeoutMs must be an integer from 1 to ${MAX_PROBE_TIMEOUT_MS}`,
        );
      }
      return { providers: await probeModelCatalog(deps, timeoutMs) };
    },
  );
}
