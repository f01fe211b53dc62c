import { describe, expect, it } from "vitest";
import type { CronSchedule } from "./cron-job.js";
import {
  countSlotsBetween,
  describeSchedule,
  instantOfWallTime,
  latestSlotBetween,
  nextSlotAfter,
  parseDuration,
  validateSchedule,
} from "./cron-schedule.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` slots after `from`, as ISO strings (UTC). */
function slots(schedule: CronSchedule, from: string, count: number): (string | undefined)[] {
  const found: (string | undefined)[] = [];
  let cursor = at(from);
  for (let index = 0; index < count; index++) {
    const next = nextSlotAfter(schedule, cursor);
    found.push(iso(next));
    if (next === undefined) break;
    cursor = next;
  }
  return found;
}

describe("cron slots across daylight-saving changes (croner)", () => {
  it("Europe/Berlin spring forward (29 March 2026): 09:00 local moves from 08:00Z to 07:00Z", () => {
    expect(
      slots({ kind: "cron", expr: "0 9 * * *", tz: "Europe/Berlin" }, "2026-03-27T12:00:00Z", 3),
    ).toEqual([
      "2026-03-28T08:00:00.000Z", // CET, UTC+1
      "2026-03-29T07:00:00.000Z", // CEST, UTC+2
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("Europe/Berlin: 02:30 does not exist on 29 March; that day's slot is the jump (03:00 CEST), once", () => {
    expect(
      slots({ kind: "cron", expr: "30 2 * * *", tz: "Europe/Berlin" }, "2026-03-27T12:00:00Z", 3),
    ).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });

  it("America/New_York fall back (1 November 2026): 09:00 local moves from 13:00Z to 14:00Z", () => {
    expect(
      slots({ kind: "cron", expr: "0 9 * * *", tz: "America/New_York" }, "2026-10-31T00:00:00Z", 3),
    ).toEqual([
      "2026-10-31T13:00:00.000Z", // EDT, UTC-4
      "2026-11-01T14:00:00.000Z", // EST, UTC-5
      "2026-11-02T14:00:00.000Z",
    ]);
  });

  it("America/New_York: 01:30 happens twice on 1 November; the job runs once that day", () => {
    const found = slots(
      { kind: "cron", expr: "30 1 * * *", tz: "America/New_York" },
      "2026-10-31T12:00:00Z",
      3,
    );
    expect(found).toEqual([
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
      "2026-11-03T06:30:00.000Z",
    ]);
  });

  it("in UTC a weekly expression lands on its weekday and minute", () => {
    expect(slots({ kind: "cron", expr: "15 7 * * 1", tz: "UTC" }, "2026-12-02T00:00:00Z", 2)).toEqual([
      "2026-12-07T07:15:00.000Z",
      "2026-12-14T07:15:00.000Z",
    ]);
  });

  it("the latest slot at or before now, after the last claimed one", () => {
    const schedule: CronSchedule = { kind: "cron", expr: "0 9 * * *", tz: "Europe/Berlin" };
    expect(iso(latestSlotBetween(schedule, at("2026-03-28T00:00:00Z"), at("2026-03-30T07:00:00Z")))).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    expect(
      latestSlotBetween(schedule, at("2026-03-30T07:00:00Z"), at("2026-03-30T08:00:00Z")),
    ).toBeUndefined();
    expect(countSlotsBetween(schedule, at("2026-03-27T12:00:00Z"), at("2026-03-30T07:00:00Z"))).toBe(3);
  });
});

describe("every and at schedules", () => {
  const every: CronSchedule = { kind: "every", everyMs: 1000, anchorMs: 10_000 };

  it("slots at anchor + k·interval, the first one interval after the anchor", () => {
    expect(nextSlotAfter(every, 0)).toBe(11_000);
    expect(nextSlotAfter(every, 10_000)).toBe(11_000);
    expect(nextSlotAfter(every, 11_000)).toBe(12_000);
    expect(nextSlotAfter(every, 11_500)).toBe(12_000);
    expect(latestSlotBetween(every, 10_000, 10_999)).toBeUndefined();
    expect(latestSlotBetween(every, 10_000, 13_400)).toBe(13_000);
    expect(latestSlotBetween(every, 13_000, 13_999)).toBeUndefined();
    expect(countSlotsBetween(every, 10_000, 15_000)).toBe(5);
  });

  it("an at schedule has one slot", () => {
    const once: CronSchedule = { kind: "at", at: "2027-02-01T16:00:00.000Z" };
    expect(nextSlotAfter(once, at("2027-01-01T00:00:00Z"))).toBe(at("2027-02-01T16:00:00Z"));
    expect(nextSlotAfter(once, at("2027-02-01T16:00:00Z"))).toBeUndefined();
    expect(latestSlotBetween(once, 0, at("2027-03-01T00:00:00Z"))).toBe(at("2027-02-01T16:00:00Z"));
  });

  it("durations as OpenClaw writes them; intervals under 1 s and bad expressions are refused", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(() => parseDuration("ten minutes")).toThrow(/not a duration/);
    expect(() => validateSchedule({ kind: "every", everyMs: 999, anchorMs: 0 })).toThrow(/below 1 s/);
    expect(() => validateSchedule({ kind: "every", everyMs: 1000, anchorMs: 0 })).not.toThrow();
    expect(() => validateSchedule({ kind: "cron", expr: "61 * * * *" })).toThrow(/invalid/);
    expect(() => validateSchedule({ kind: "cron", expr: "0 7 * * *", tz: "Mars/Olympus" })).toThrow(
      /time zone/,
    );
    expect(() => validateSchedule({ kind: "at", at: "tomorrow" })).toThrow(/ISO 8601/);
    expect(describeSchedule({ kind: "every", everyMs: 90_000, anchorMs: 0 })).toBe("every 1m 30s");
  });
});

describe("--at with --tz: a wall-clock time in a zone", () => {
  it("reads it with the zone's offset on that day, DST included", () => {
    expect(iso(instantOfWallTime("2027-02-01T16:00:00", "Europe/Berlin"))).toBe("2027-02-01T15:00:00.000Z");
    expect(iso(instantOfWallTime("2027-07-01T16:00:00", "Europe/Berlin"))).toBe("2027-07-01T14:00:00.000Z");
    // 1 November 2026, New York: 09:00 is after the fall back (EST, UTC-5).
    expect(iso(instantOfWallTime("2026-11-01T09:00:00", "America/New_York"))).toBe(
      "2026-11-01T14:00:00.000Z",
    );
    expect(iso(instantOfWallTime("2026-10-31T09:00:00", "America/New_York"))).toBe(
      "2026-10-31T13:00:00.000Z",
    );
  });
});
