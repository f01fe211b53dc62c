import { describe, expect, it } from "vitest";
import { DeltaCoalescer } from "./delta-coalescer.js";
import { ManualClock } from "./testing/manual-clock.js";

function coalescer(intervalMs = 75) {
  const clock = new ManualClock();
  const sent: { at: number; text: string }[] = [];
  const deltas = new DeltaCoalescer((text) => sent.push({ at: clock.now(), text }), clock, intervalMs);
  return { clock, sent, deltas };
}

describe("DeltaCoalescer", () => {
  it("sends the first chunk at once, then at most one delta per interval", () => {
    const { clock, sent, deltas } = coalescer();
    deltas.push("a");
    expect(sent).toEqual([{ at: 0, text: "a" }]);
    for (let step = 0; step < 300; step++) {
      clock.advance(1);
      deltas.push("b");
    }
    clock.advance(100);
    expect(sent.map((delta) => delta.at)).toEqual([0, 75, 150, 225, 300, 375]);
    expect(sent.map((delta) => delta.text).join("")).toBe(`a${"b".repeat(300)}`);
    for (const [index, delta] of sent.entries()) {
      if (index > 0) expect(delta.at - (sent[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(75);
    }
  });

  it("sends a chunk at once when the previous delta is older than the interval", () => {
    const { clock, sent, deltas } = coalescer();
    deltas.push("one ");
    clock.advance(500);
    deltas.push("two");
    expect(sent).toEqual([
      { at: 0, text: "one " },
      { at: 500, text: "two" },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("flush sends what waits now and cancels the timer; nothing is sent twice", () => {
    const { clock, sent, deltas } = coalescer();
    deltas.push("x");
    clock.advance(10);
    deltas.push("y");
    deltas.push("z");
    expect(clock.pendingTimers).toBe(1);
    deltas.flush();
    expect(sent.map((delta) => delta.text)).toEqual(["x", "yz"]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1000);
    deltas.flush();
    expect(sent.map((delta) => delta.text)).toEqual(["x", "yz"]);
  });

  it("ignores empty chunks", () => {
    const { clock, sent, deltas } = coalescer();
    deltas.push("");
    deltas.flush();
    expect(sent).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
