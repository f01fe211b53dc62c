import { describe, expect, it } from "vitest";
import { FailureRateLimiter, type FailureRateLimiterOptions } from "./rate-limiter.js";

function limiter(options: Partial<FailureRateLimiterOptions> = {}) {
  const clock = { now: 1_000_000 };
  const instance = new FailureRateLimiter({
    maxAttempts: 10,
    windowMs: 60_000,
    lockoutMs: 300_000,
    now: () => clock.now,
    ...options,
  });
  return { limiter: instance, clock };
}

describe("FailureRateLimiter", () => {
  it("lets ten failing attempts through and refuses the eleventh", () => {
    const { limiter: rateLimiter } = limiter();
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(rateLimiter.check("203.0.113.7")).toEqual({ allowed: true });
      const outcome = rateLimiter.recordFailure("203.0.113.7");
      expect(outcome.locked).toBe(attempt === 10);
    }
    const eleventh = rateLimiter.check("203.0.113.7");
    expect(eleventh).toEqual({ allowed: false, retryAfterMs: 300_000 });
  });

  it("reports the remaining lockout and lifts it when it ends, with a fresh count", () => {
    const { limiter: rateLimiter, clock } = limiter({ maxAttempts: 3 });
    for (let attempt = 0; attempt < 3; attempt++) rateLimiter.recordFailure("k");
    clock.now += 100_000;
    expect(rateLimiter.check("k")).toEqual({ allowed: false, retryAfterMs: 200_000 });
    clock.now += 199_999;
    expect(rateLimiter.check("k")).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.now += 1;
    expect(rateLimiter.check("k")).toEqual({ allowed: true });
    expect(rateLimiter.recordFailure("k")).toEqual({ locked: false });
    expect(rateLimiter.recordFailure("k")).toEqual({ locked: false });
    expect(rateLimiter.recordFailure("k")).toEqual({ locked: true, retryAfterMs: 300_000 });
  });

  it("counts failures in a sliding window, not a fixed one", () => {
    const { limiter: rateLimiter, clock } = limiter({ maxAttempts: 3, windowMs: 10_000 });
    rateLimiter.recordFailure("k"); // t = 0
    clock.now += 6_000;
    rateLimiter.recordFailure("k"); // t = 6 s
    clock.now += 5_000;
    // t = 11 s: the first failure has left the window, so this is the second within it.
    expect(rateLimiter.recordFailure("k")).toEqual({ locked: false });
    clock.now += 4_000;
    // t = 15 s: failures at 6, 11 and 15 s are all within 10 s.
    expect(rateLimiter.recordFailure("k").locked).toBe(true);
  });

  it("does not extend a lockout with failures reported while locked", () => {
    const { limiter: rateLimiter, clock } = limiter({ maxAttempts: 2, lockoutMs: 1_000 });
    rateLimiter.recordFailure("k");
    rateLimiter.recordFailure("k");
    clock.now += 400;
    expect(rateLimiter.recordFailure("k")).toEqual({ locked: true, retryAfterMs: 600 });
    clock.now += 600;
    expect(rateLimiter.check("k")).toEqual({ allowed: true });
  });

  it("keeps keys apart and clears a key on success", () => {
    const { limiter: rateLimiter } = limiter({ maxAttempts: 2 });
    rateLimiter.recordFailure("a");
    rateLimiter.recordFailure("b");
    rateLimiter.recordSuccess("a");
    expect(rateLimiter.recordFailure("a")).toEqual({ locked: false });
    expect(rateLimiter.recordFailure("b").locked).toBe(true);
    expect(rateLimiter.check("a").allowed).toBe(true);
    expect(rateLimiter.check("b").allowed).toBe(false);
  });

  it("bounds memory by forgetting the least recently failed key", () => {
    const { limiter: rateLimiter } = limiter({ maxAttempts: 2, maxKeys: 3 });
    rateLimiter.recordFailure("a");
    rateLimiter.recordFailure("b");
    rateLimiter.recordFailure("c");
    rateLimiter.recordFailure("a"); // a is now the most recent; b is the oldest
    rateLimiter.recordFailure("d");
    expect(rateLimiter.size).toBe(3);
    // b was forgotten: one more failure does not lock it; a remembered its first failure.
    expect(rateLimiter.recordFailure("b")).toEqual({ locked: false });
    expect(rateLimiter.size).toBe(3);
  });

  it("remembers nothing for a check alone", () => {
    const { limiter: rateLimiter } = limiter();
    for (let index = 0; index < 1_000; index++) rateLimiter.check(`probe-${index}`);
    expect(rateLimiter.size).toBe(0);
  });

  it("does not release a locked key when flooded with new keys", () => {
    const { limiter: bounded } = limiter({ maxAttempts: 2, maxKeys: 100 });
    bounded.recordFailure("attacker");
    bounded.recordFailure("attacker");
    for (let index = 0; index < 1_000; index++) bounded.recordFailure(`flood-${index}`);
    expect(bounded.size).toBe(100);
    expect(bounded.check("attacker").allowed).toBe(false);
  });

  it("forgets the oldest locked key only when every remembered key is locked", () => {
    const { limiter: rateLimiter } = limiter({ maxAttempts: 1, maxKeys: 2 });
    rateLimiter.recordFailure("a");
    rateLimiter.recordFailure("b");
    rateLimiter.recordFailure("c");
    expect(rateLimiter.size).toBe(2);
    expect(rateLimiter.check("a").allowed).toBe(true);
    expect(rateLimiter.check("b").allowed).toBe(false);
    expect(rateLimiter.check("c").allowed).toBe(false);
  });

  it.each([
    { maxAttempts: 0 },
    { maxAttempts: 1.5 },
    { windowMs: -1 },
    { lockoutMs: Number.NaN },
    { maxKeys: 0 },
  ])("refuses invalid options %j", (options) => {
    expect(() => limiter(options)).toThrow(expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }));
  });
});
