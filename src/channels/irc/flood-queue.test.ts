import { describe, expect, it } from "vitest";
import { FloodQueue } from "./flood-queue.js";

describe("FloodQueue", () => {
  it("sends a burst at once, then one line per interval, in order", async () => {
    const queue = new FloodQueue({ burst: 3, intervalMs: 40 });
    const started = Date.now();
    const written: Array<{ line: number; at: number }> = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, line) =>
        queue.enqueue(async () => {
          written.push({ line, at: Date.now() - started });
        }),
      ),
    );
    expect(written.map((entry) => entry.line)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(written[2]!.at).toBeLessThan(30);
    expect(written[5]!.at).toBeGreaterThanOrEqual(110);
  });

  it("refills while idle, up to the burst", async () => {
    const queue = new FloodQueue({ burst: 2, intervalMs: 30 });
    await Promise.all([queue.enqueue(async () => {}), queue.enqueue(async () => {})]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await Promise.all([queue.enqueue(async () => {}), queue.enqueue(async () => {})]);
    expect(Date.now() - started).toBeLessThan(25);
  });

  it("rejects queued lines on cancel and keeps working after", async () => {
    const queue = new FloodQueue({ burst: 1, intervalMs: 1_000 });
    await queue.enqueue(async () => {});
    const waiting = queue.enqueue(async () => {});
    queue.cancel(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
    expect(queue.pending).toBe(0);
  });

  it("passes a failed write's error to its line only", async () => {
    const queue = new FloodQueue({ burst: 5, intervalMs: 10 });
    const failing = queue.enqueue(() => {
      throw new Error("socket gone");
    });
    const next = queue.enqueue(async () => {});
    await expect(failing).rejects.toThrow("socket gone");
    await expect(next).resolves.toBeUndefined();
  });
});
