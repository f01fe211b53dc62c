import { describe, expect, it } from "vitest";
import { isOpenClawError, retryAfterMsOf } from "../errors.js";
import { ManualClock } from "../time/testing/manual-clock.js";
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

describe("TurnAdmission queue timeout", () => {
  it("gives up on a waiter queueTimeoutMs after its arrival, with a retryable error", async () => {
    const clock = new ManualClock();
    const admission = new TurnAdmission("a", 1, 5, { queueTimeoutMs: 1000, clock });
    await admission.enter();
    const waiting = admission.enter();
    const outcome = waiting.then(
      () => "admitted",
      (error: unknown) => error,
    );
    clock.advance(999);
    expect(admission.queueDepth).toBe(1);
    clock.advance(1);
    const error = await outcome;
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_QUEUE_TIMEOUT");
    expect(isOpenClawError(error) && error.spec).toMatchObject({ status: 503, retryable: true });
    expect(isOpenClawError(error) && error.message).toMatch(
      /waited 1000 ms for a turn slot \(limits\.queueTimeoutMs 1000\)/,
    );
    expect(isOpenClawError(error) && error.hint).toMatch(/agents\.a\.limits\.maxConcurrent/);
    expect(isOpenClawError(error) && retryAfterMsOf(error)).toBe(1000);
    expect(admission.queueDepth).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("counts the time a turn waited before it reached the queue", async () => {
    const clock = new ManualClock();
    const admission = new TurnAdmission("a", 1, 5, { queueTimeoutMs: 1000, clock });
    await admission.enter();
    clock.advance(5000);
    const late = admission.enter(undefined, clock.now() - 700);
    const settled = late.catch((error: unknown) => error);
    clock.advance(299);
    expect(admission.queueDepth).toBe(1);
    clock.advance(1);
    expect(await settled).toMatchObject({ code: "OC_ERR_QUEUE_TIMEOUT" });
    // Arrived so long ago that the wait is already spent: refused without queueing.
    await expect(admission.enter(undefined, clock.now() - 1000)).rejects.toMatchObject({
      code: "OC_ERR_QUEUE_TIMEOUT",
    });
    expect(admission.queueDepth).toBe(0);
  });

  it("takes a free slot whenever the turn arrived, and cancels the timer of one admitted in time", async () => {
    const clock = new ManualClock();
    const admission = new TurnAdmission("a", 1, 5, { queueTimeoutMs: 1000, clock });
    const release = await admission.enter(undefined, clock.now() - 60_000);
    const waiting = admission.enter();
    clock.advance(500);
    release();
    const next = await waiting;
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000);
    expect(admission.activeCount).toBe(1);
    next();
    expect(admission.activeCount).toBe(0);
  });

  it("cancels the timer of an aborted or rejected waiter", async () => {
    const clock = new ManualClock();
    const admission = new TurnAdmission("a", 1, 5, { queueTimeoutMs: 1000, clock });
    await admission.enter();
    const controller = new AbortController();
    const aborted = admission.enter(controller.signal);
    const dropped = admission.enter();
    controller.abort(new Error("client left"));
    await expect(aborted).rejects.toThrow("client left");
    admission.rejectWaiting(new Error("agent stopped"));
    await expect(dropped).rejects.toThrow("agent stopped");
    expect(clock.pendingTimers).toBe(0);
  });
});
