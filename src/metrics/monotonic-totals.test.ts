import { describe, expect, it } from "vitest";
import { MonotonicTotals } from "./monotonic-totals.js";

describe("MonotonicTotals", () => {
  it("follows a count that only grows", () => {
    const totals = new MonotonicTotals();
    expect(totals.observe("main", 0)).toBe(0);
    expect(totals.observe("main", 2)).toBe(2);
    expect(totals.observe("main", 3)).toBe(3);
  });

  it("keeps what was counted when the count restarts from zero (agent replaced by a reload)", () => {
    const totals = new MonotonicTotals();
    totals.observe("main", 4);
    expect(totals.observe("main", 0)).toBe(4);
    expect(totals.observe("main", 1)).toBe(5);
    totals.observe("main", 0);
    expect(totals.totals()).toEqual([["main", 5]]);
  });

  it("keeps a removed key's total and counts each key apart", () => {
    const totals = new MonotonicTotals();
    totals.observe("a", 2);
    totals.observe("b", 1);
    totals.observe("b", 3);
    expect(Object.fromEntries(totals.totals())).toEqual({ a: 2, b: 3 });
  });
});
