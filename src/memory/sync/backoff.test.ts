import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff.js";

describe("backoffDelayMs", () => {
  it("doubles from the minimum and stops at the maximum", () => {
    const delays = [1, 2, 3, 4, 5, 6, 40].map((attempt) =>
      backoffDelayMs({ attempt, minMs: 500, maxMs: 30_000, random: () => 1 }),
    );
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it("jitters within [min, max]", () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      for (const value of [0, 0.3, 0.99]) {
        const delay = backoffDelayMs({ attempt, minMs: 500, maxMs: 30_000, random: () => value });
        expect(delay).toBeGreaterThanOrEqual(500);
        expect(delay).toBeLessThanOrEqual(30_000);
      }
    }
    expect(backoffDelayMs({ attempt: 6, minMs: 500, maxMs: 30_000, random: () => 0 })).toBe(8000);
  });
});
