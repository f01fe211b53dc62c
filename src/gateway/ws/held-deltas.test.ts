import { describe, expect, it } from "vitest";
import { HELD_DELTAS_POLL_MS, HeldDeltas, HOLD_DELTAS_ABOVE_BYTES } from "./held-deltas.js";

function connection() {
  let buffered = 0;
  let poll: (() => void) | undefined;
  const written: { event: string; payload: Record<string, unknown> }[] = [];
  const outgoing = new HeldDeltas({
    bufferedBytes: () => buffered,
    write: (event, payload) => written.push({ event, payload: payload as Record<string, unknown> }),
    setInterval: (callback, intervalMs) => {
      expect(intervalMs).toBe(HELD_DELTAS_POLL_MS);
      poll = callback;
      return 1;
    },
    clearInterval: () => {
      poll = undefined;
    },
  });
  return {
    outgoing,
    written,
    setBuffered: (bytes: number) => {
      buffered = bytes;
    },
    tick: () => poll?.(),
    polling: () => poll !== undefined,
  };
}

const delta = (runId: string, seq: number, deltaText: string) => ({ runId, seq, state: "delta", deltaText });

describe("HeldDeltas", () => {
  it("writes everything at once while the socket keeps up", () => {
    const { outgoing, written } = connection();
    outgoing.send("chat", delta("r", 0, "a"));
    outgoing.send("agent", { runId: "r", stream: "tool" });
    expect(written.map((frame) => frame.event)).toEqual(["chat", "agent"]);
  });

  it("merges a slow client's deltas per run and writes them once the socket drains", () => {
    const { outgoing, written, setBuffered, tick, polling } = connection();
    setBuffered(HOLD_DELTAS_ABOVE_BYTES + 1);
    for (let seq = 0; seq < 500; seq++) outgoing.send("chat", delta("r1", seq, "x"));
    outgoing.send("chat", delta("r2", 0, "other"));
    expect(written).toEqual([]);
    expect(outgoing.heldRuns).toBe(2);
    tick();
    expect(written).toEqual([]);
    setBuffered(0);
    tick();
    expect(written.map((frame) => frame.payload)).toEqual([
      { runId: "r1", seq: 499, state: "delta", deltaText: "x".repeat(500) },
      { runId: "r2", seq: 0, state: "delta", deltaText: "other" },
    ]);
    expect(polling()).toBe(false);
  });

  it("releases held deltas before anything else, so the final still follows its text", () => {
    const { outgoing, written, setBuffered } = connection();
    setBuffered(HOLD_DELTAS_ABOVE_BYTES + 1);
    outgoing.send("chat", delta("r", 0, "Hello "));
    outgoing.send("chat", delta("r", 1, "world"));
    outgoing.send("chat", { runId: "r", seq: 2, state: "final", message: {} });
    expect(written.map((frame) => [frame.payload.state, frame.payload.deltaText])).toEqual([
      ["delta", "Hello world"],
      ["final", undefined],
    ]);
  });

  it("holds nothing after dispose", () => {
    const { outgoing, written, setBuffered, polling } = connection();
    setBuffered(HOLD_DELTAS_ABOVE_BYTES + 1);
    outgoing.send("chat", delta("r", 0, "a"));
    outgoing.dispose();
    expect(polling()).toBe(false);
    outgoing.release();
    expect(written).toEqual([]);
  });
});
