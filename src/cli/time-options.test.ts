import { describe, expect, it } from "vitest";
import { parseSince } from "./time-options.js";

describe("parseSince", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  it("reads durations back from now and dates", () => {
    expect(parseSince("30s", now)).toBe(now - 30_000);
    expect(parseSince("10m", now)).toBe(now - 600_000);
    expect(parseSince("2h", now)).toBe(now - 7_200_000);
    expect(parseSince("7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseSince("2026-11-25T10:00:00Z", now)).toBe(Date.parse("2026-11-25T10:00:00Z"));
  });
  it("refuses anything else with the accepted forms", () => {
    expect(() => parseSince("yesterday", now)).toThrow(/neither a duration nor a date/);
  });
});
