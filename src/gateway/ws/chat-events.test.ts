import { describe, expect, it } from "vitest";
import type { TurnOutcome } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import {
  ChatRunPublisher,
  MESSAGE_SNAPSHOT,
  rendersFromMessage,
  withMessageSnapshot,
} from "./chat-events.js";
import { ManualClock } from "./testing/manual-clock.js";

type Published = { event: "chat" | "agent"; payload: Record<string, unknown> };

function publisher() {
  const clock = new ManualClock();
  const published: Published[] = [];
  const run = new ChatRunPublisher(
    (event, payload) => published.push({ event, payload }),
    "run-1",
    "agent:main:test",
    "main",
    clock,
  );
  const chat = () => published.filter((item) => item.event === "chat").map((item) => item.payload);
  return { clock, published, run, chat };
}

const outcome = (text: string) =>
  ({ text, usage: { inputTokens: 1, outputTokens: 2 }, finishReason: "stop" }) as unknown as TurnOutcome;

/** What a frame of this payload costs on the wire. */
const wireBytes = (payload: unknown) =>
  Buffer.byteLength(JSON.stringify({ type: "event", event: "chat", payload }));

describe("ChatRunPublisher", () => {
  it("sends bytes linear in the text: increments only, coalesced, the whole message on final", () => {
    const { clock, run, chat } = publisher();
    const chunks = Array.from({ length: 2000 }, (_, index) => `token ${index} `);
    const reply = chunks.join("");
    run.started();
    for (const chunk of chunks) {
      run.turnEvent({ type: "text-delta", text: chunk });
      clock.advance(2);
    }
    run.final(outcome(reply));
    const frames = chat();
    const deltas = frames.filter((payload) => payload.state === "delta");
    // 4 s of streaming at one delta per 75 ms, not one per chunk.
    expect(deltas.length).toBeLessThanOrEqual(Math.ceil(4000 / 75) + 1);
    expect(deltas.map((payload) => payload.deltaText).join("")).toBe(reply);
    for (const delta of deltas) expect(delta).not.toHaveProperty("message");
    const final = frames.at(-1);
    expect(final).toMatchObject({ state: "final", message: { content: [{ type: "text", text: reply }] } });
    const bytes = frames.reduce((total, payload) => total + wireBytes(payload), 0);
    expect(bytes).toBeLessThan(3 * Buffer.byteLength(reply));
    expect(frames.map((payload) => payload.seq)).toEqual(frames.map((_, index) => index));
  });

  it("sends the text before a tool call ahead of the call, and the rest before the final", () => {
    const { clock, published, run } = publisher();
    run.turnEvent({ type: "text-delta", text: "Let me " });
    run.turnEvent({ type: "text-delta", text: "look." });
    run.turnEvent({ type: "tool-call", toolCallId: "call-1", toolName: "read", input: {} });
    clock.advance(10);
    run.turnEvent({ type: "text-delta", text: "Done" });
    run.turnEvent({ type: "text-delta", text: "." });
    run.final(outcome("Let me look.Done."));
    expect(
      published.map(({ event, payload }) =>
        event === "chat" ? `chat:${payload.state}:${payload.deltaText ?? ""}` : `agent:${payload.stream}`,
      ),
    ).toEqual([
      "chat:delta:Let me ",
      "chat:delta:look.",
      "agent:tool",
      "chat:delta:Done.",
      "agent:lifecycle",
      "chat:final:",
    ]);
  });

  it("delivers the text streamed so far before an aborted or failed run says so", () => {
    const { clock, run, chat } = publisher();
    run.turnEvent({ type: "text-delta", text: "partial " });
    run.turnEvent({ type: "text-delta", text: "answer" });
    run.failed(new OpenClawError("OC_ERR_TURN_ABORTED", "the turn was aborted"));
    expect(chat().map((payload) => [payload.state, payload.deltaText])).toEqual([
      ["delta", "partial "],
      ["delta", "answer"],
      ["aborted", undefined],
    ]);
    clock.advance(1000);
    expect(chat()).toHaveLength(3);
  });

  it("keeps the whole text so far off the wire, for the clients that render from it", () => {
    const { clock, run, chat } = publisher();
    run.turnEvent({ type: "text-delta", text: "You " });
    clock.advance(100);
    run.turnEvent({ type: "text-delta", text: "said: hi" });
    const [first, second] = chat();
    expect(JSON.stringify(second)).not.toContain("You said");
    expect((second as Record<symbol, unknown>)[MESSAGE_SNAPSHOT]).toBe("You said: hi");
    expect(withMessageSnapshot("chat", first)).toMatchObject({
      deltaText: "You ",
      message: { role: "assistant", content: [{ type: "text", text: "You " }] },
    });
    expect(withMessageSnapshot("chat", second)).toMatchObject({
      deltaText: "said: hi",
      message: { content: [{ type: "text", text: "You said: hi" }] },
    });
    const other = { state: "final", message: { content: [] } };
    expect(withMessageSnapshot("chat", other)).toBe(other);
    expect(withMessageSnapshot("agent", second)).toBe(second);
    expect(rendersFromMessage("openclaw-tui")).toBe(true);
    expect(rendersFromMessage("cli")).toBe(true);
    expect(rendersFromMessage("openclaw-control-ui")).toBe(false);
    expect(rendersFromMessage("gateway-client")).toBe(false);
  });
});
