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
