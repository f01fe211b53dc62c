import { describe, expect, it } from "vitest";
import { TurnAdmission } from "./turn-admission.js";

describe("TurnAdmission", () => {
  it("runs up to maxConcurrent, queues up to maxQueue, refuses the rest", async () => {
    const admission = new TurnAdmission("a", 2, 1);
    const first = await admission.enter();
    await admission.enter();
    const queued = admission.enter();
    expect(admission.activeCount).toBe(2);
    expect(admission.queueDepth).toBe(1);
    expect(() => admission.enter()).toThrow(expect.objectContaining({ code: "OC_ERR_AGENT_BUSY" }));
    expect(() => admission.assertRoom()).toThrow(/busy: 2 turns running and 1 waiting/);

    first();
    await queued;
    expect(admission.activeCount).toBe(2);
    expect(admission.queueDepth).toBe(0);
    expect(() => admission.assertRoom()).not.toThrow();
  });

  it("hands slots over in arrival order and counts a double release once", async () => {
    const admission = new TurnAdmission("a", 1, 5);
    const release = await admission.enter();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((index) =>
      admission.enter().then((next) => {
        order.push(index);
        next();
      }),
    );
    release();
    release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(admission.activeCount).toBe(0);
  });

  it("drops an aborted waiter from the queue", async () => {
    const admission = new TurnAdmission("a", 1, 1);
    await admission.enter();
    const controller = new AbortController();
    const waiting = admission.enter(controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    expect(admission.queueDepth).toBe(0);
  });

  it("fails every waiter when the agent goes away", async () => {
    const admission = new TurnAdmission("a", 1, 2);
    await admission.enter();
    const waiters = [admission.enter(), admission.enter()];
    admission.rejectWaiting(new Error("agent stopped"));
    for (const waiter of waiters) await expect(waiter).rejects.toThrow("agent stopped");
  });
});
