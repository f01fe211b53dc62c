import type { OpenClawConfig } from "../config/schema.js";
import { describeBindingReason, resolveBindings } from "./bindings.js";
import type { SecretStatus } from "./secret-status.js";

/** A secret as `secrets list` shows it: its status and what uses it, and why. Never a value. */
export interface SecretListing extends SecretStatus {
  bindings: { path: string; reason: string }[];
}

export function listSecrets(statuses: SecretStatus[], config: OpenClawConfig | undefined): SecretListing[] {
  const bindings = config ? resolveBindings(config) : [];
  return statuses.map((status) => ({
    ...status,
    bindings: bindings
      .filter((binding) => binding.secret === status.name)
      .map((binding) => ({ path: binding.path, reason: describeBindingReason(binding) })),
  }));
}
