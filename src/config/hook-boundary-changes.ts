import { isDeepStrictEqual } from "node:util";
import type { BoundaryChange } from "./boundary-changes.js";
import type { OpenClawConfig } from "./schema.js";

/** Where a credential comes from, never what it is. */
function describeToken(token: OpenClawConfig["hooks"]["token"]): string {
  if (token === undefined) return "unset";
  return typeof token === "string" ? "an inline value" : `secret "${token.$secret}"`;
}

/** Whether `after` admits an entry `before` did not (undefined or "*" is everything). */
function widened(
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
  all = "*",
): boolean {
  const admitsAll = (list: readonly string[] | undefined) => list === undefined || list.includes(all);
  if (admitsAll(before)) return false;
  if (admitsAll(after)) return true;
  const known = new Set(before);
  return (after ?? []).some((entry) => !known.has(entry));
}

/**
 * `hooks.*` changes that let more in: hooks turned on, another token (or its source), more
 * agents a hook may run, caller-chosen session keys. Held like the gateway's own auth changes:
 * whoever can write the file could otherwise open an ingress to the agents silently.
 */
export function hookBoundaryChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const before = running.hooks;
  const after = next.hooks;
  if (!after.enabled) return [];
  const changes: BoundaryChange[] = [];
  if (!before.enabled) {
    changes.push({ path: "hooks.enabled", description: `webhooks turned on at ${after.path}` });
  }
  if (!isDeepStrictEqual(before.token, after.token)) {
    changes.push({
      path: "hooks.token",
      description: `the hook token changed: ${describeToken(before.token)} → ${describeToken(after.token)}`,
    });
  } else if (typeof after.token === "object") {
    const name = after.token.$secret;
    if (!isDeepStrictEqual(running.externalSecrets[name], next.externalSecrets[name])) {
      changes.push({
        path: `externalSecrets.${name}`,
        description: `the source of the hook token (secret "${name}") changed`,
      });
    }
  }
  if (widened(before.allowedAgentIds, after.allowedAgentIds)) {
    changes.push({
      path: "hooks.allowedAgentIds",
      description: `hooks may run more agents: ${after.allowedAgentIds?.join(", ") ?? "every agent"}`,
    });
  }
  if (after.allowRequestSessionKey && !before.allowRequestSessionKey) {
    changes.push({
      path: "hooks.allowRequestSessionKey",
      description: "hook senders may now choose the session their turn runs in",
    });
  }
  return changes;
}
