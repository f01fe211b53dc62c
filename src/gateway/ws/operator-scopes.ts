import type { ErrorShape } from "./frames.js";

/** The protocol's closed set of operator scopes. */
export const OPERATOR_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.questions",
  "operator.pairing",
  "operator.talk",
  "operator.talk.secrets",
] as const;

export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

function isOperatorScope(value: unknown): value is OperatorScope {
  return (OPERATOR_SCOPES as readonly unknown[]).includes(value);
}

/**
 * What an operator connection may do, from the scopes its `connect` asked for. A shared-secret
 * holder may have any of them, so a requested set is granted as asked (least privilege is the
 * client's choice, as OpenClaw's CLI makes it per command); unknown names are dropped, never
 * widened. A client that asks for nothing (older clients, this gateway's Control UI) gets them all:
 * it proved the gateway's own credential.
 */
export function grantOperatorScopes(requested: readonly string[] | undefined): OperatorScope[] {
  if (requested === undefined) return [...OPERATOR_SCOPES];
  return [...new Set(requested.filter(isOperatorScope))];
}

/** The protocol's implications: admin satisfies every scope; write satisfies read and talk. */
export function scopeSatisfied(required: OperatorScope, granted: ReadonlySet<string>): boolean {
  if (granted.has(required) || granted.has("operator.admin")) return true;
  return (required === "operator.read" || required === "operator.talk") && granted.has("operator.write");
}

/**
 * The protocol's missing-scope failure, byte for byte: clients read `details` (a closed object,
 * so without this gateway's usual `ocCode`; OC_ERR_FORBIDDEN is implied) and older ones parse
 * the `missing scope: <scope>` message, so neither may change.
 */
export function missingScopeError(scope: OperatorScope): ErrorShape {
  return {
    code: "FORBIDDEN",
    message: `missing scope: ${scope}`,
    details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: [scope] },
  };
}
