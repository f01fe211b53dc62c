import { describe, expect, it } from "vitest";
import { MAX_PENDING_WAKES, WakeQueue } from "./wake-queue.js";

describe("WakeQueue", () => {
  it("queues, coalesces a repeat of the newest pending event, and drains oldest first", () => {
    const queue = new WakeQueue();
    expect(queue.enqueue("s", "a")).toBe("queued");
    expect(queue.enqueue("s", "a")).toBe("coalesced");
    expect(queue.enqueue("s", "b")).toBe("queued");
    expect(queue.enqueue("s", "a")).toBe("queued");
    expect(queue.enqueue("other", "a")).toBe("queued");
    expect(queue.drain("s")).toEqual(["a", "b", "a"]);
    expect(queue.drain("s")).toEqual([]);
    expect(queue.size("other")).toBe(1);
  });

  it("keeps at most MAX_PENDING_WAKES per session", () => {
    const queue = new WakeQueue();
    for (let index = 0; index < MAX_PENDING_WAKES + 5; index++) queue.enqueue("s", `e${index}`);
    const drained = queue.drain("s");
    expect(drained).toHaveLength(MAX_PENDING_WAKES);
    expect(drained[0]).toBe("e5");
  });
});
