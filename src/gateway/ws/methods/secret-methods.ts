import type { ReloadReport, SecretListing } from "../../../secrets/index.js";
import type { MethodTable } from "./method-definition.js";

export interface SecretMethodsDeps {
  secrets(): SecretListing[];
  reloadSecrets(): Promise<ReloadReport>;
}

export function secretMethods(deps: SecretMethodsDeps): MethodTable {
  return {
    "secrets.list": {
      role: "operator",
      scope: "operator.admin",
      handle: async () => ({ secrets: deps.secrets() }),
    },
    "secrets.reload": {
      role: "operator",
      scope: "operator.admin",
      handle: async () => ({ report: await deps.reloadSecrets(), secrets: deps.secrets() }),
    },
  };
}
