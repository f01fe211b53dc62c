import { describe, expect, it } from "vitest";
import { RecentCounter } from "./recent-counter.js";

describe("RecentCounter", () => {
  it("counts the last 15 minutes and forgets older events", () => {
    const counter = new RecentCounter(15);
    const start = Date.parse("2026-11-25T10:00:00Z");
    for (let index = 0; index < 5; index++) counter.add(start + index * 1000);
    counter.add(start + 10 * 60_000);
    expect(counter.total(start + 10 * 60_000)).toBe(6);
    // 15 minutes after the first burst's minute it has aged out; the later event has not.
    expect(counter.total(start + 15 * 60_000)).toBe(1);
    expect(counter.total(start + 25 * 60_000)).toBe(0);
    // A slot reused a window later starts from zero.
    counter.add(start + 30 * 60_000);
    expect(counter.total(start + 30 * 60_000)).toBe(1);
  });
});
