import { describe, expect, it, vi } from "vitest";
import { LeaseCounter } from "./lease-counter.js";

describe("LeaseCounter", () => {
  it("drains when every lease is given back, each only once", async () => {
    const leases = new LeaseCounter();
    const first = leases.hold();
    const second = leases.hold();
    let drained = false;
    const waiting = leases.drained(60_000).then(() => {
      drained = true;
    });
    first();
    first();
    await Promise.resolve();
    expect(leases.count).toBe(1);
    expect(drained).toBe(false);
    second();
    await waiting;
    expect(drained).toBe(true);
  });

  it("stops waiting after the timeout", async () => {
    vi.useFakeTimers();
    try {
      const leases = new LeaseCounter();
      leases.hold();
      const waiting = leases.drained(1000);
      vi.advanceTimersByTime(1000);
      await waiting;
      expect(leases.count).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
