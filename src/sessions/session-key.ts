import { OpenClawError } from "../errors.js";

/**
 * OpenClaw's session keys, built and read here only: `agent:<agentId>:<rest>`. The agent a
 * key names is the agent its turns run on; `<rest>` says what kind of conversation it is:
 *
 *   agent:<id>:main                      the agent's main session (OpenClaw's default)
 *   agent:<id>:openai:<user>             an OpenAI client's end user (`user` of the request)
 *   agent:<id>:openai:request:<runId>    one stateless OpenAI request, no session of its own
 *   agent:<id>:subagent:<runId>          a turn delegated to this agent by another
 *   agent:<id>:node:<nodeId>[:<rest>]    a paired node's own session
 *
 * Clients may send any key (`chat.send`, `x-openclaw-session-key`); only those that start with
 * `agent:<id>:` name their agent.
 */

export const MAX_SESSION_KEY_LENGTH = 512;

/** The part that marks a one-turn stateless request; its transcript goes to a shared daily file. */
export const EPHEMERAL_SESSION_MARKER = ":request:";

const PREFIX = "agent:";

export interface ParsedSessionKey {
  agentId: string;
  /** Everything after `agent:<id>:`. */
  rest: string;
}

export const sessionKeys = {
  main: (agentId: string) => `${PREFIX}${agentId}:main`,
  /** `user` must already be in key form (see openai-request's userKeyPart). */
  openAiUser: (agentId: string, user: string) => `${PREFIX}${agentId}:openai:${user}`,
  openAiRequest: (agentId: string, runId: string) =>
    `${PREFIX}${agentId}:openai${EPHEMERAL_SESSION_MARKER}${runId}`,
  subagent: (agentId: string, runId: string) => `${PREFIX}${agentId}:subagent:${runId}`,
  node: (agentId: string, nodeId: string) => `${PREFIX}${agentId}:node:${nodeId}`,
};

/** `agent:<id>:<rest>`, or undefined for a key in another form. */
export function parseSessionKey(sessionKey: string): ParsedSessionKey | undefined {
  if (!sessionKey.startsWith(PREFIX)) return undefined;
  const end = sessionKey.indexOf(":", PREFIX.length);
  if (end <= PREFIX.length) return undefined;
  return { agentId: sessionKey.slice(PREFIX.length, end), rest: sessionKey.slice(end + 1) };
}

/** The agent a key names, if it names one. */
export function agentIdOfSessionKey(sessionKey: string): string | undefined {
  return parseSessionKey(sessionKey)?.agentId;
}

/** Whether the key is one stateless request's (no session of its own). */
export function isEphemeralSessionKey(sessionKey: string): boolean {
  return sessionKey.includes(EPHEMERAL_SESSION_MARKER);
}

/** The node a node-own key (`agent:<id>:node:<nodeId>…`) belongs to. */
export function nodeIdOfSessionKey(sessionKey: string): string | undefined {
  const parsed = parseSessionKey(sessionKey);
  if (!parsed?.rest.startsWith("node:")) return undefined;
  const nodeId = parsed.rest.slice("node:".length).split(":")[0];
  return nodeId ? nodeId : undefined;
}

/** A key a client sent: a non-empty string, no control characters, at most 512 characters. */
export function validateSessionKey(sessionKey: unknown): string {
  if (typeof sessionKey !== "string" || sessionKey.trim() === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must be a non-empty string");
  }
  if (/[\u0000-\u001f\u007f]/.test(sessionKey)) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must not contain control characters");
  }
  if (sessionKey.length > MAX_SESSION_KEY_LENGTH) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `sessionKey is longer than ${MAX_SESSION_KEY_LENGTH} characters`,
    );
  }
  return sessionKey;
}
