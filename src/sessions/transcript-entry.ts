import type { ChatMessage, ToolCall, Usage } from "../models/types.js";

/** One line of a session's JSONL transcript. */
export interface TranscriptEntry {
  type: "message";
  id: string;
  ts: number;
  sessionKey: string;
  agentId: string;
  runId: string;
  role: ChatMessage["role"];
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
  toolName?: string;
  isError?: boolean;
  usage?: Usage;
}

const ROLES = new Set(["user", "assistant", "tool", "system"]);

/**
 * Whether a parsed line is one a transcript may hold: a record with a `type` (a later build may
 * add types; they are passed over, not damage), and, for a message, the fields history needs.
 */
export function isTranscriptLine(value: unknown): value is { type: string } | TranscriptEntry {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const line = value as Partial<TranscriptEntry> & { type?: unknown };
  if (typeof line.type !== "string") return false;
  if (line.type !== "message") return true;
  return (
    typeof line.sessionKey === "string" &&
    typeof line.content === "string" &&
    typeof line.role === "string" &&
    ROLES.has(line.role)
  );
}

export function entryToMessage(entry: TranscriptEntry): ChatMessage {
  switch (entry.role) {
    case "assistant":
      return entry.toolCalls?.length
        ? { role: "assistant", content: entry.content, toolCalls: entry.toolCalls }
        : { role: "assistant", content: entry.content };
    case "tool":
      return {
        role: "tool",
        toolCallId: entry.toolCallId ?? "",
        toolName: entry.toolName ?? "",
        content: entry.content,
        ...(entry.isError ? { isError: true } : {}),
      };
    case "system":
      return { role: "system", content: entry.content };
    default:
      return { role: "user", content: entry.content };
  }
}

export function messageFields(
  message: ChatMessage,
): Pick<TranscriptEntry, "role" | "content" | "toolCalls" | "toolCallId" | "toolName" | "isError"> {
  if (message.role === "assistant") {
    return {
      role: "assistant",
      content: message.content,
      ...(message.toolCalls ? { toolCalls: message.toolCalls } : {}),
    };
  }
  if (message.role === "tool") {
    return {
      role: "tool",
      content: message.content,
      toolCallId: message.toolCallId,
      toolName: message.toolName,
      ...(message.isError ? { isError: true } : {}),
    };
  }
  return { role: message.role, content: message.content };
}
