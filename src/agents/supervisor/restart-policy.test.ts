import { describe, expect, it } from "vitest";
import { ManualClock } from "../../time/testing/manual-clock.js";
import { DEGRADED_RETRY_AFTER_MS, RestartPolicy } from "./restart-policy.js";

const policy = { maxCrashes: 3, windowMs: 10_000, backoffMs: 100, maxBackoffMs: 150 };

describe("RestartPolicy", () => {
  it("restarts after a back-off that doubles per crash, up to the maximum, then degrades", () => {
    const restarts = new RestartPolicy(policy, new ManualClock());
    expect(restarts.crashed()).toEqual({ restartInMs: 100 });
    expect(restarts.crashed()).toEqual({ restartInMs: 150 });
    expect(restarts.crashed()).toEqual({ degradedAfter: 3 });
  });

  it("forgets crashes older than its window, and all of them on reset", () => {
    const clock = new ManualClock();
    const restarts = new RestartPolicy(policy, clock);
    restarts.crashed();
    restarts.crashed();
    clock.advance(policy.windowMs);
    expect(restarts.crashed()).toEqual({ restartInMs: 100 });
    restarts.crashed();
    restarts.reset();
    expect(restarts.crashed()).toEqual({ restartInMs: 100 });
  });

  it("runs the restart when its back-off is over, on the clock it was given", () => {
    const clock = new ManualClock();
    const restarts = new RestartPolicy(policy, clock);
    let restarted = 0;
    restarts.schedule(100, () => restarted++);
    expect(restarts.pending).toBe(true);
    expect(restarts.retryAfterMs("restarting")).toBe(1000);
    clock.advance(99);
    expect(restarted).toBe(0);
    clock.advance(1);
    expect(restarted).toBe(1);
    expect(restarts.pending).toBe(false);
  });

  it("drops the pending restart when cancelled or rescheduled", () => {
    const clock = new ManualClock();
    const restarts = new RestartPolicy(policy, clock);
    const runs: string[] = [];
    restarts.schedule(100, () => runs.push("first"));
    restarts.schedule(200, () => runs.push("second"));
    clock.advance(1000);
    expect(runs).toEqual(["second"]);
    restarts.schedule(100, () => runs.push("cancelled"));
    restarts.cancel();
    clock.advance(1000);
    expect(runs).toEqual(["second"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("tells a refused client how long to wait: until the restart, longer when degraded", () => {
    const clock = new ManualClock();
    const restarts = new RestartPolicy({ ...policy, backoffMs: 5000, maxBackoffMs: 5000 }, clock);
    restarts.schedule(5000, () => undefined);
    clock.advance(1000);
    expect(restarts.retryAfterMs("restarting")).toBe(4000);
    expect(restarts.retryAfterMs("degraded")).toBe(DEGRADED_RETRY_AFTER_MS);
    expect(restarts.retryAfterMs("starting")).toBe(1000);
  });
});
