import type { MethodTable } from "./method-definition.js";

export const SECRET_METHODS: MethodTable = {
  "secrets.list": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ secrets: gateway.secrets() }),
  },
  "secrets.reload": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ report: await gateway.reloadSecrets(), secrets: gateway.secrets() }),
  },
};
