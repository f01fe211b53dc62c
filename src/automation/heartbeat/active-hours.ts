/** `activeHours`: a daily window, start inclusive and end exclusive, in a time zone. */
export interface ActiveHours {
  start: string;
  end: string;
  timezone?: string;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The minutes since midnight at `atMs` on the wall clock of `timeZone` (the host's when absent). */
function wallMinutes(atMs: number, timeZone: string | undefined): number {
  let zone = timeZone === "local" || timeZone === "user" ? undefined : timeZone;
  try {
    if (zone) new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    // An unknown zone falls back to the host's, as OpenClaw documents.
    zone = undefined;
  }
  const parts = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(zone ? { timeZone: zone } : {}),
  }).formatToParts(new Date(atMs));
  const hour = Number(parts.find((part) => part.type === "hour")?.value);
  const minute = Number(parts.find((part) => part.type === "minute")?.value);
  return hour * 60 + minute;
}

/** Whether `atMs` falls in the window; equal start and end is a zero-width window (never). */
export function withinActiveHours(hours: ActiveHours | undefined, atMs: number): boolean {
  if (!hours) return true;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return false;
  const now = wallMinutes(atMs, hours.timezone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
