import type { AgentToolEventPayload, ChatEventPayload } from "../gateway/protocol-types.js";

/**
 * What one conversation shows, built from the gateway's broadcast events. Pure functions that
 * return a new array, so a Lit component re-renders on each change by identity.
 */

export interface ToolActivity {
  toolCallId: string;
  name: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
  done: boolean;
}

export interface UserEntry {
  kind: "user";
  id: string;
  text: string;
}

export interface NoticeEntry {
  kind: "notice";
  id: string;
  text: string;
  tone: "info" | "error";
}

export interface AssistantEntry {
  kind: "assistant";
  runId: string;
  agentId?: string;
  /** Text between tool calls; a tool call starts a new segment, since each model step answers anew. */
  segments: string[];
  segmentClosed: boolean;
  tools: ToolActivity[];
  state: "streaming" | "final" | "error" | "aborted";
  errorMessage?: string;
  lastSeq: number;
}

export type TranscriptEntry = UserEntry | NoticeEntry | AssistantEntry;

export function assistantText(entry: AssistantEntry): string {
  return entry.segments.filter((segment) => segment.length > 0).join("\n\n");
}

export function addUserMessage(entries: TranscriptEntry[], id: string, text: string): TranscriptEntry[] {
  return [...entries, { kind: "user", id, text }];
}

export function addNotice(
  entries: TranscriptEntry[],
  id: string,
  text: string,
  tone: NoticeEntry["tone"],
): TranscriptEntry[] {
  return [...entries, { kind: "notice", id, text, tone }];
}

/** Makes room for a run's answer (as soon as `chat.send` answers, before its first delta). */
export function ensureRun(entries: TranscriptEntry[], runId: string, agentId?: string): TranscriptEntry[] {
  if (findRun(entries, runId) >= 0) return entries;
  return [...entries, newRun(runId, agentId)];
}

export function applyChatEvent(entries: TranscriptEntry[], event: ChatEventPayload): TranscriptEntry[] {
  return updateRun(entries, event.runId, event.agentId, event.seq, (run) => {
    if (run.state !== "streaming") return run;
    switch (event.state) {
      case "delta":
        if (typeof event.deltaText === "string") return appendText(run, event.deltaText);
        // Older gateways sent the whole text so far instead of a delta.
        return replaceCurrentSegment(run, messageText(event.message));
      case "final": {
        const text = messageText(event.message);
        const settled = text ? replaceCurrentSegment(run, text) : run;
        return { ...settled, state: "final" };
      }
      case "error":
        return { ...run, state: "error", errorMessage: event.errorMessage || "the turn failed" };
      case "aborted":
        return { ...run, state: "aborted", errorMessage: event.errorMessage || "the turn was stopped" };
      default:
        return run;
    }
  });
}

export function applyToolEvent(entries: TranscriptEntry[], event: AgentToolEventPayload): TranscriptEntry[] {
  const { data } = event;
  return updateRun(entries, event.runId, data.agentId, undefined, (run) => {
    if (data.phase === "start") {
      if (run.tools.some((tool) => tool.toolCallId === data.toolCallId)) return run;
      return {
        ...run,
        segmentClosed: true,
        tools: [...run.tools, { toolCallId: data.toolCallId, name: data.name, args: data.args, done: false }],
      };
    }
    const known = run.tools.some((tool) => tool.toolCallId === data.toolCallId);
    const finished: ToolActivity = {
      toolCallId: data.toolCallId,
      name: data.name,
      result: data.result,
      isError: data.isError === true,
      done: true,
    };
    return {
      ...run,
      tools: known
        ? run.tools.map((tool) =>
            tool.toolCallId === data.toolCallId ? { ...tool, ...finished, args: tool.args } : tool,
          )
        : [...run.tools, finished],
    };
  });
}

function newRun(runId: string, agentId?: string): AssistantEntry {
  return {
    kind: "assistant",
    runId,
    ...(agentId ? { agentId } : {}),
    segments: [],
    segmentClosed: false,
    tools: [],
    state: "streaming",
    lastSeq: -1,
  };
}

function findRun(entries: TranscriptEntry[], runId: string): number {
  return entries.findIndex((entry) => entry.kind === "assistant" && entry.runId === runId);
}

function updateRun(
  entries: TranscriptEntry[],
  runId: string,
  agentId: string | undefined,
  seq: number | undefined,
  change: (run: AssistantEntry) => AssistantEntry,
): TranscriptEntry[] {
  const index = findRun(entries, runId);
  const current = index >= 0 ? (entries[index] as AssistantEntry) : newRun(runId, agentId);
  // Each run numbers its chat events; one seen twice (a resend) must not print its text twice.
  if (seq !== undefined && seq <= current.lastSeq) return entries;
  const changed = change(current);
  const next = seq !== undefined ? { ...changed, lastSeq: seq } : changed;
  if (index < 0) return [...entries, next];
  const copy = [...entries];
  copy[index] = next;
  return copy;
}

function appendText(run: AssistantEntry, text: string): AssistantEntry {
  if (run.segmentClosed || run.segments.length === 0) {
    return { ...run, segments: [...run.segments, text], segmentClosed: false };
  }
  const segments = [...run.segments];
  segments[segments.length - 1] += text;
  return { ...run, segments };
}

/** The final text is the last model step's: it replaces what that step streamed. */
function replaceCurrentSegment(run: AssistantEntry, text: string): AssistantEntry {
  if (run.segmentClosed || run.segments.length === 0) {
    return { ...run, segments: [...run.segments, text], segmentClosed: false };
  }
  return { ...run, segments: [...run.segments.slice(0, -1), text] };
}

function messageText(message: ChatEventPayload["message"]): string {
  return (message?.content ?? [])
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}
