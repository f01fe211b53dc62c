import { describe, expect, it } from "vitest";
import { CrashHistory } from "./crash-history.js";

const policy = { maxCrashes: 3, windowMs: 10_000, backoffMs: 100, maxBackoffMs: 250 };

describe("CrashHistory", () => {
  it("doubles the back-off per crash in the window, up to the maximum", () => {
    const history = new CrashHistory(policy);
    history.record(1000);
    expect(history.backoffMs(1000)).toBe(100);
    history.record(2000);
    expect(history.backoffMs(2000)).toBe(200);
    history.record(3000);
    expect(history.backoffMs(3000)).toBe(250);
  });

  it("is exhausted at maxCrashes within the window, and forgets older crashes", () => {
    const history = new CrashHistory(policy);
    history.record(0);
    history.record(1000);
    expect(history.exhausted(1000)).toBe(false);
    history.record(2000);
    expect(history.exhausted(2000)).toBe(true);
    expect(history.count(10_500)).toBe(2);
    expect(history.exhausted(10_500)).toBe(false);
    history.reset();
    expect(history.count(10_500)).toBe(0);
  });
});
