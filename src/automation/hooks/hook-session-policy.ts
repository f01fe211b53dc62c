import type { OpenClawConfig } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";
import { parseSessionKey, sessionKeys, validateSessionKey } from "../../sessions/index.js";

type HooksConfig = OpenClawConfig["hooks"];

function bad(message: string, hint: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { hint });
}

/** The agent a hook runs on: named and configured, else the default; always within allowedAgentIds. */
export function resolveHookAgent(
  hooks: HooksConfig,
  requested: string | undefined,
  agents: { has(agentId: string): boolean; defaultAgentId(): string },
): string {
  if (requested !== undefined && !agents.has(requested)) {
    throw bad(`agent "${requested}" is not configured`, "name an agent of agents.* (openclaw agents list)");
  }
  const agentId = requested ?? agents.defaultAgentId();
  const allowed = hooks.allowedAgentIds;
  // OpenClaw: omitted or "*" allows every agent, [] none; the default agent is checked too.
  if (allowed !== undefined && !allowed.includes("*") && !allowed.includes(agentId)) {
    throw bad(
      `agent "${agentId}" is not in hooks.allowedAgentIds`,
      "add it to hooks.allowedAgentIds, or name an allowed agent",
    );
  }
  return agentId;
}

function prefixesOf(hooks: HooksConfig): string[] {
  return (hooks.allowedSessionKeyPrefixes ?? []).map((prefix) => prefix.trim().toLowerCase()).filter(Boolean);
}

function checkPrefix(hooks: HooksConfig, logicalKey: string): void {
  const prefixes = prefixesOf(hooks);
  if (prefixes.length === 0) return;
  const lower = logicalKey.toLowerCase();
  if (!prefixes.some((prefix) => lower.startsWith(prefix))) {
    throw bad(
      `session key "${logicalKey}" is outside hooks.allowedSessionKeyPrefixes`,
      `use a key starting with ${prefixes.map((prefix) => JSON.stringify(prefix)).join(" or ")}`,
    );
  }
}

/** A caller-chosen key: only with hooks.allowRequestSessionKey, and within the prefixes. */
function requestedKey(hooks: HooksConfig, sessionKey: string): string {
  if (!hooks.allowRequestSessionKey) {
    throw bad(
      "a sessionKey in the request is refused: hooks.allowRequestSessionKey is off",
      "leave sessionKey out, or set hooks.allowRequestSessionKey (with allowedSessionKeyPrefixes)",
    );
  }
  return validateSessionKey(sessionKey);
}

/** The part after `agent:<id>:` of a key that names an agent: it is re-scoped to the chosen one. */
function restOf(logicalKey: string): string {
  return parseSessionKey(logicalKey)?.rest ?? logicalKey;
}

/**
 * The session an agent hook runs in. The logical key is the request's (when allowed), else
 * hooks.defaultSessionKey, else a fresh `hook:<runUuid>`; it must pass the prefix list. An
 * isolated run (the default) gets a session of its own under that key; a persistent one reuses
 * it, and needs the caller's key with prefixes configured (OpenClaw's rule for direct hooks).
 */
export function resolveHookAgentSession(
  hooks: HooksConfig,
  request: { sessionKey?: string; sessionMode: "isolated" | "persistent" },
  agentId: string,
  runUuid: string,
): string {
  const explicit = request.sessionKey !== undefined ? requestedKey(hooks, request.sessionKey) : undefined;
  if (request.sessionMode === "persistent" && (explicit === undefined || prefixesOf(hooks).length === 0)) {
    throw bad(
      'sessionMode "persistent" needs a request sessionKey, hooks.allowRequestSessionKey and hooks.allowedSessionKeyPrefixes',
      'set those, or use sessionMode "isolated" (a fresh session per run)',
    );
  }
  const logical = explicit ?? hooks.defaultSessionKey ?? `hook:${runUuid}`;
  // An agent-prefixed key is re-scoped to the chosen agent: its rest is what the prefixes judge.
  const rest = restOf(logical);
  checkPrefix(hooks, rest);
  const base = `agent:${agentId}:${rest}`;
  if (request.sessionMode === "persistent" || logical === `hook:${runUuid}`) return base;
  return `${base}:run:${runUuid}`;
}

/** The session a wake goes to: the caller's key (mode "now", when allowed), else the agent's main session. */
export function resolveHookWakeSession(
  hooks: HooksConfig,
  sessionKey: string | undefined,
  agentId: string,
): string {
  if (sessionKey === undefined) return sessionKeys.main(agentId);
  const rest = restOf(requestedKey(hooks, sessionKey));
  checkPrefix(hooks, rest);
  return `agent:${agentId}:${rest}`;
}
