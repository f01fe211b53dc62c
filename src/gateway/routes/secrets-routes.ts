import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { ReloadReport, SecretListing } from "../../secrets/index.js";
import { OPERATOR_ADMIN, withAccess } from "../access/route-access.js";

/**
 * External secrets for operators (`openclaw secrets list | reload`): names, sources, status and
 * bindings, never a value. Loopback only until the auth layer guards it, like agent control.
 */
export interface SecretsRouteDeps {
  /** Names, sources, status and bindings: never a value. */
  list(): SecretListing[];
  reload(names?: readonly string[]): Promise<ReloadReport>;
}

export function registerSecretsRoutes(server: FastifyInstance, deps: SecretsRouteDeps): void {
  server.get("/__openclaw__/secrets", withAccess(OPERATOR_ADMIN), async () => ({
    secrets: deps.list(),
  }));
  server.post<{ Body: { names?: unknown } | undefined }>(
    "/__openclaw__/secrets/reload",
    withAccess(OPERATOR_ADMIN),
    async (request) => {
      const names = request.body?.names;
      if (names !== undefined && !(Array.isArray(names) && names.every((name) => typeof name === "string"))) {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "names must be an array of secret names");
      }
      const report = await deps.reload(names);
      return { report, secrets: deps.list() };
    },
  );
}
