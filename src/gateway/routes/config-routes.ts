import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_ADMIN, withAccess } from "../access/route-access.js";
import type { AppliedConfig } from "../held-config.js";

/**
 * `openclaw config apply`: the operator's decision to put the config file in force, including
 * changes that weaken the security boundary, which the file watcher holds back. Admin only: it
 * is the one way (besides a restart) to open the gateway further without a restart.
 */
export interface ConfigRouteDeps {
  applyConfigFile(options: { baseHash?: string }): Promise<AppliedConfig>;
}

export function registerConfigRoutes(server: FastifyInstance, deps: ConfigRouteDeps): void {
  server.post<{ Body: { baseHash?: unknown } | undefined }>(
    "/__openclaw__/config/apply",
    withAccess(OPERATOR_ADMIN),
    async (request) => {
      const baseHash = request.body?.baseHash;
      if (baseHash !== undefined && (typeof baseHash !== "string" || !/^[0-9a-f]{64}$/.test(baseHash))) {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "baseHash must be the sha256 (hex) of a config file", {
          hint: "use the hash `openclaw status` shows under config.pending, or leave it out",
        });
      }
      const applied = await deps.applyConfigFile(baseHash === undefined ? {} : { baseHash });
      return { applied };
    },
  );
}
