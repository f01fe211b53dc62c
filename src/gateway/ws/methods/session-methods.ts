import { type SessionSummary, type TranscriptEntry, validateSessionKey } from "../../../sessions/index.js";
import { optionalString } from "../frames.js";
import type { MethodTable } from "./method-definition.js";

/** A transcript entry as `chat.history` messages look in OpenClaw: content as typed parts. */
export function toHistoryMessage(entry: TranscriptEntry) {
  return {
    id: entry.id,
    role: entry.role,
    content: [{ type: "text", text: entry.content }],
    timestamp: entry.ts,
    runId: entry.runId,
    agentId: entry.agentId,
    ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}),
    ...(entry.toolCallId ? { toolCallId: entry.toolCallId, toolName: entry.toolName } : {}),
    ...(entry.isError ? { isError: true } : {}),
    ...(entry.usage ? { usage: entry.usage } : {}),
  };
}

/** A session as the protocol's (closed) SessionRow has it. */
function toSessionRow(session: SessionSummary) {
  return {
    key: session.key,
    kind: "direct",
    ...(session.agentId ? { agentId: session.agentId } : {}),
    updatedAt: session.updatedAt,
    ...(session.lastMessagePreview !== undefined ? { lastMessagePreview: session.lastMessagePreview } : {}),
  };
}

function positiveInteger(value: unknown, fallback: number, max: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

export interface SessionMethodsDeps {
  transcripts: { list(): Promise<SessionSummary[]>; read(sessionKey: string): Promise<TranscriptEntry[]> };
}

export function sessionMethods(deps: SessionMethodsDeps): MethodTable {
  return {
    "sessions.list": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const agentId = optionalString(params, "agentId");
        const search = typeof params.search === "string" ? params.search.toLowerCase() : "";
        const matching = (await deps.transcripts.list()).filter(
          (session) =>
            (!agentId || session.agentId === agentId) &&
            (!search ||
              session.key.toLowerCase().includes(search) ||
              (session.lastMessagePreview ?? "").toLowerCase().includes(search)),
        );
        const offset = typeof params.offset === "number" ? params.offset : 0;
        const limit = positiveInteger(params.limit, matching.length, matching.length);
        const page = matching.slice(offset, offset + limit);
        return {
          ts: Date.now(),
          count: page.length,
          totalCount: matching.length,
          hasMore: offset + page.length < matching.length,
          sessions: page.map(toSessionRow),
        };
      },
    },
    "sessions.get": {
      role: "operator",
      scope: "operator.read",
      // The protocol has no params schema for it; OpenClaw takes `key` (or `sessionKey`) and `limit`.
      handle: async ({ params }) => {
        const sessionKey = validateSessionKey(params.key ?? params.sessionKey);
        const limit = positiveInteger(params.limit, 200, 1000);
        const entries = await deps.transcripts.read(sessionKey);
        return { key: sessionKey, messages: entries.slice(-limit).map(toHistoryMessage) };
      },
    },
    "chat.history": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const sessionKey = validateSessionKey(params.sessionKey);
        const limit = positiveInteger(params.limit, 200, 1000);
        const entries = await deps.transcripts.read(sessionKey);
        return { sessionKey, messages: entries.slice(-limit).map(toHistoryMessage) };
      },
    },
  };
}
