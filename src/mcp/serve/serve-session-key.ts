import { OpenClawError } from "../../errors.js";
import { parseSessionKey, reservedNamespaceOf } from "../../sessions/index.js";

/** The session an MCP client's conversation with an agent goes to when it names none. */
export function defaultMcpSessionKey(agentId: string, clientId: string): string {
  return `agent:${agentId}:mcp:${clientId}`;
}

/**
 * The session an `ask_<agent>` call runs in, by `openclaw agent --session-key`'s rules: none →
 * this MCP connection's own session with the agent (so a client's follow-up continues the
 * conversation), a bare key → scoped to the agent (`incident-42` → `agent:ops:incident-42`),
 * `agent:<id>:…` → as is, when it names this agent.
 */
export function resolveAskSessionKey(agentId: string, clientId: string, sessionKey?: string): string {
  if (sessionKey === undefined) return defaultMcpSessionKey(agentId, clientId);
  const trimmed = sessionKey.trim();
  if (trimmed === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must not be blank", {
      hint: "omit sessionKey for this connection's own session with the agent",
    });
  }
  const parsed = parseSessionKey(trimmed);
  if (parsed && parsed.agentId !== agentId) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `sessionKey ${trimmed} belongs to agent "${parsed.agentId}", not "${agentId}"`,
      { hint: `call ask_${parsed.agentId}, or pass a bare key (it is scoped to ${agentId})` },
    );
  }
  const full = parsed ? trimmed : `agent:${agentId}:${trimmed}`;
  assertNotReserved(full);
  return full;
}

/** Refuses a key in a namespace of the gateway's own runs; checked again where the turn starts. */
export function assertNotReserved(sessionKey: string): void {
  const reserved = reservedNamespaceOf(sessionKey);
  if (reserved === undefined) return;
  throw new OpenClawError(
    "OC_ERR_BAD_REQUEST",
    `sessionKey uses the reserved namespace "${reserved}" (the gateway's own runs)`,
    { hint: "choose a key outside subagent:, cron: and acp:" },
  );
}
