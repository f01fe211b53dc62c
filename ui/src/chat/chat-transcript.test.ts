import { describe, expect, it } from "vitest";
import type { ChatEventPayload } from "../gateway/protocol-types.js";
import {
  type AssistantEntry,
  applyChatEvent,
  applyToolEvent,
  assistantText,
  ensureRun,
  type TranscriptEntry,
} from "./chat-transcript.js";

const sessionKey = "agent:main:ui-test";

function chat(fields: Partial<ChatEventPayload> & Pick<ChatEventPayload, "state" | "seq">): ChatEventPayload {
  return { runId: "run-1", sessionKey, agentId: "main", ...fields };
}

function onlyRun(entries: TranscriptEntry[]): AssistantEntry {
  const runs = entries.filter((entry): entry is AssistantEntry => entry.kind === "assistant");
  expect(runs).toHaveLength(1);
  return runs[0] as AssistantEntry;
}

describe("chat transcript", () => {
  it("appends text deltas in order and settles on the final text", () => {
    let entries = ensureRun([], "run-1", "main");
    entries = applyChatEvent(entries, chat({ state: "delta", seq: 0, deltaText: "You " }));
    entries = applyChatEvent(entries, chat({ state: "delta", seq: 1, deltaText: "said: hi" }));
    expect(assistantText(onlyRun(entries))).toBe("You said: hi");
    expect(onlyRun(entries).state).toBe("streaming");
    entries = applyChatEvent(
      entries,
      chat({
        state: "final",
        seq: 2,
        message: { role: "assistant", content: [{ type: "text", text: "You said: hi" }] },
      }),
    );
    expect(onlyRun(entries)).toMatchObject({ state: "final", segments: ["You said: hi"] });
  });

  it("creates the run from its first event when chat.send has not answered yet", () => {
    const entries = applyChatEvent([], chat({ state: "delta", seq: 0, deltaText: "early" }));
    expect(assistantText(onlyRun(entries))).toBe("early");
    expect(ensureRun(entries, "run-1")).toBe(entries);
  });

  it("ignores an event seen twice", () => {
    let entries = applyChatEvent([], chat({ state: "delta", seq: 0, deltaText: "once" }));
    entries = applyChatEvent(entries, chat({ state: "delta", seq: 0, deltaText: "once" }));
    expect(assistantText(onlyRun(entries))).toBe("once");
  });

  it("keeps tool calls, and the text after a tool call as a new segment", () => {
    let entries = applyChatEvent([], chat({ state: "delta", seq: 0, deltaText: "Let me look." }));
    entries = applyToolEvent(entries, {
      runId: "run-1",
      stream: "tool",
      data: { phase: "start", name: "canvas", toolCallId: "call-1", args: { action: "present" }, sessionKey },
    });
    entries = applyToolEvent(entries, {
      runId: "run-1",
      stream: "tool",
      data: {
        phase: "result",
        name: "canvas",
        toolCallId: "call-1",
        result: "ok",
        isError: false,
        sessionKey,
      },
    });
    entries = applyChatEvent(entries, chat({ state: "delta", seq: 1, deltaText: "Done" }));
    entries = applyChatEvent(
      entries,
      chat({ state: "final", seq: 2, message: { content: [{ type: "text", text: "Done." }] } }),
    );
    const run = onlyRun(entries);
    expect(run.tools).toEqual([
      {
        toolCallId: "call-1",
        name: "canvas",
        args: { action: "present" },
        result: "ok",
        isError: false,
        done: true,
      },
    ]);
    expect(run.segments).toEqual(["Let me look.", "Done."]);
  });

  it("records an error in words and stops taking text", () => {
    let entries = applyChatEvent([], chat({ state: "error", seq: 0, errorMessage: "agent main is stopped" }));
    entries = applyChatEvent(entries, chat({ state: "delta", seq: 1, deltaText: "late" }));
    expect(onlyRun(entries)).toMatchObject({
      state: "error",
      errorMessage: "agent main is stopped",
      segments: [],
    });
  });
});
