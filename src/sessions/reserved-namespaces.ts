import { parseSessionKey } from "./session-key.js";

/**
 * Session namespaces the gateway keeps for its own runs (delegated, scheduled, ACP): a client
 * naming one could slip a turn into such a run's history (OpenClaw refuses the same three).
 */
export const RESERVED_SESSION_NAMESPACES: readonly string[] = ["subagent:", "cron:", "acp:"];

/** The reserved namespace a client-chosen key falls in, bare or scoped to an agent; undefined when none. */
export function reservedNamespaceOf(sessionKey: string): string | undefined {
  const rest = parseSessionKey(sessionKey)?.rest ?? sessionKey;
  return RESERVED_SESSION_NAMESPACES.find(
    (prefix) => rest.startsWith(prefix) || sessionKey.startsWith(prefix),
  );
}
