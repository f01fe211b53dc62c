import { Cron } from "croner";
import { OpenClawError } from "../../errors.js";
import type { CronSchedule } from "./cron-job.js";

/** The shortest interval accepted: tests drive real schedules at this pace. */
export const MIN_EVERY_MS = 1000;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `1h`, `90s`, `1d`, `500ms` (OpenClaw's duration spellings) in milliseconds. */
export function parseDuration(text: string, what = "duration"): number {
  const parts = text.trim().match(/\d+(?:\.\d+)?(?:ms|s|m|h|d)/g);
  if (!parts || parts.join("") !== text.trim().replace(/\s+/g, "")) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `${what} "${text}" is not a duration`, {
      hint: "write it as a number and a unit: 1s, 10m, 1h, 1d (or combined: 1h30m)",
    });
  }
  let total = 0;
  for (const part of parts) {
    const match = DURATION.exec(part) as RegExpExecArray;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

function cronOf(expr: string, tz: string | undefined): Cron {
  try {
    // Paused, no callback: croner is the calendar here, the scheduler owns the timers.
    return new Cron(expr, { paused: true, ...(tz ? { timezone: tz } : {}) });
  } catch (error) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `cron expression "${expr}" is invalid: ${(error as Error).message}`,
      {
        hint: "five fields (minute hour day-of-month month day-of-week) or six with seconds first, e.g. '0 7 * * *'",
      },
    );
  }
}

function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `time zone "${tz}" is unknown`, {
      hint: "use an IANA name such as Europe/Berlin, America/New_York or UTC",
    });
  }
}

/** Throws a typed error for a schedule that cannot run: bad expression, zone, interval or instant. */
export function validateSchedule(schedule: CronSchedule): void {
  if (schedule.kind === "cron") {
    if (schedule.tz) assertTimeZone(schedule.tz);
    cronOf(schedule.expr, schedule.tz);
  } else if (schedule.kind === "every") {
    if (!Number.isFinite(schedule.everyMs) || schedule.everyMs < MIN_EVERY_MS) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `interval ${schedule.everyMs} ms is below 1 s`, {
        hint: "use --every 1s or longer",
      });
    }
  } else if (Number.isNaN(Date.parse(schedule.at))) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `"${schedule.at}" is not an ISO 8601 instant`, {
      hint: "e.g. 2027-02-01T16:00:00Z",
    });
  }
}

/** The first slot strictly after `afterMs`, or undefined when there is none (a past `at`). */
export function nextSlotAfter(schedule: CronSchedule, afterMs: number): number | undefined {
  if (schedule.kind === "every") {
    const { anchorMs, everyMs } = schedule;
    if (afterMs < anchorMs) return anchorMs + everyMs;
    return anchorMs + (Math.floor((afterMs - anchorMs) / everyMs) + 1) * everyMs;
  }
  if (schedule.kind === "at") {
    const at = Date.parse(schedule.at);
    return at > afterMs ? at : undefined;
  }
  return cronOf(schedule.expr, schedule.tz).nextRun(new Date(afterMs))?.getTime();
}

/** The latest slot at or before `nowMs` and strictly after `afterMs`, if any. */
export function latestSlotBetween(
  schedule: CronSchedule,
  afterMs: number,
  nowMs: number,
): number | undefined {
  if (nowMs <= afterMs) return undefined;
  if (schedule.kind === "every") {
    const { anchorMs, everyMs } = schedule;
    if (nowMs < anchorMs + everyMs) return undefined;
    const latest = anchorMs + Math.floor((nowMs - anchorMs) / everyMs) * everyMs;
    return latest > afterMs ? latest : undefined;
  }
  if (schedule.kind === "at") {
    const at = Date.parse(schedule.at);
    return at > afterMs && at <= nowMs ? at : undefined;
  }
  // croner counts back from a reference it excludes: 1 ms past now includes a slot at now.
  const previous = cronOf(schedule.expr, schedule.tz)
    .previousRuns(1, new Date(nowMs + 1))[0]
    ?.getTime();
  return previous !== undefined && previous > afterMs ? previous : undefined;
}

/** How many slots fall in (afterMs, untilMs]; counted up to `cap` (a skipped row says "N slots"). */
export function countSlotsBetween(
  schedule: CronSchedule,
  afterMs: number,
  untilMs: number,
  cap = 10_000,
): number {
  if (schedule.kind === "every") {
    const first = nextSlotAfter(schedule, afterMs) as number;
    if (first > untilMs) return 0;
    return Math.min(cap, Math.floor((untilMs - first) / schedule.everyMs) + 1);
  }
  let count = 0;
  let cursor = afterMs;
  while (count < cap) {
    const next = nextSlotAfter(schedule, cursor);
    if (next === undefined || next > untilMs) break;
    count++;
    cursor = next;
  }
  return count;
}

/** How a schedule reads in a list: `every 10m`, `cron 0 7 * * * @ Europe/Berlin`, `at …`. */
export function describeSchedule(schedule: CronSchedule): string {
  if (schedule.kind === "every") return `every ${formatDuration(schedule.everyMs)}`;
  if (schedule.kind === "at") return `at ${schedule.at}`;
  return `cron ${schedule.expr}${schedule.tz ? ` @ ${schedule.tz}` : ""}`;
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join(" ");
}

/** The UTC offset of `timeZone` at `atMs`, in ms (east positive). */
function offsetAt(atMs: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(atMs))
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? "");
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
}

/**
 * An offset-less wall-clock time (`2027-02-01T16:00`) read in `timeZone`, as `--at … --tz` asks.
 * The offset is taken at the instant it names (found in two steps, so a time just after a DST
 * change gets the new offset).
 */
export function instantOfWallTime(local: string, timeZone: string): number {
  const asUtc = Date.parse(`${local}Z`);
  if (Number.isNaN(asUtc)) return Number.NaN;
  const guess = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(guess, timeZone);
}
