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
 * and a messaging channel's conversations, as OpenClaw spells them:
 *
 *   agent:<id>:main                                   DMs under session.dmScope "main" (default)
 *   agent:<id>:direct:<peer>                          "per-peer"
 *   agent:<id>:<channel>:direct:<peer>                "per-channel-peer"
 *   agent:<id>:<channel>:<account>:direct:<peer>      "per-account-channel-peer"
 *   agent:<id>:<channel>:group:<id>[:topic:<topic>]   a group (a Telegram forum topic)
 *   agent:<id>:<channel>:channel:<id>[:thread:<id>]   a channel or room (a thread in it)
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

export type DmScope = "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer";
export type GroupScope = "per-group" | "main";

/** Where a channel message is from, as a session key needs it. */
export interface ChannelConversation {
  channel: string;
  accountId: string;
  peer: { kind: "direct" | "group" | "channel"; id: string };
  threadId?: string;
}

/**
 * The session of a channel conversation. Telegram's forum topics are `:topic:`, other
 * platforms' threads `:thread:` (OpenClaw's spelling); a DM thread keeps its own session even
 * under "main", as OpenClaw does for Slack's thread DMs.
 */
export function channelSessionKey(
  agentId: string,
  conversation: ChannelConversation,
  scopes: { dmScope: DmScope; groupScope: GroupScope },
): string {
  const { channel, accountId, peer, threadId } = conversation;
  const threadPart =
    threadId === undefined ? "" : `:${channel === "telegram" ? "topic" : "thread"}:${threadId}`;
  if (peer.kind === "direct") {
    const base =
      scopes.dmScope === "main"
        ? `${PREFIX}${agentId}:main`
        : scopes.dmScope === "per-peer"
          ? `${PREFIX}${agentId}:direct:${peer.id}`
          : scopes.dmScope === "per-channel-peer"
            ? `${PREFIX}${agentId}:${channel}:direct:${peer.id}`
            : `${PREFIX}${agentId}:${channel}:${accountId}:direct:${peer.id}`;
    return `${base}${threadPart}`;
  }
  if (scopes.groupScope === "main") return `${PREFIX}${agentId}:main`;
  return `${PREFIX}${agentId}:${channel}:${peer.kind}:${peer.id}${threadPart}`;
}

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
