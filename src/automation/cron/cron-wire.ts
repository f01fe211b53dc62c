import { OpenClawError } from "../../errors.js";
import type { CronDelivery, CronSession, MissedPolicy } from "./cron-job.js";
import { instantOfWallTime, parseDuration, validateSchedule } from "./cron-schedule.js";
import type { CronJobInput, CronJobPatch } from "./cron-service.js";

type Wire = Record<string, unknown>;

function bad(message: string, hint: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { hint });
}

function text(body: Wire, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    throw bad(`${field} must be a non-empty string`, `give ${field} as text`);
  return value;
}

/**
 * A schedule as sent: OpenClaw's `{ kind: "every", everyMs }` / `{ kind: "cron", expr, tz }` /
 * `{ kind: "at", at }`, or the CLI's `{ every: "10m" }` / `{ cron, tz }` / `{ at }`.
 */
function scheduleOf(value: unknown): CronJobInput["schedule"] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null)
    throw bad("schedule must be an object", 'e.g. { every: "10m" }');
  const schedule = value as Wire;
  const tz = text(schedule, "tz");
  if (schedule.kind === "every" || schedule.every !== undefined || schedule.everyMs !== undefined) {
    const everyMs =
      typeof schedule.everyMs === "number"
        ? schedule.everyMs
        : parseDuration(String(schedule.every), "every");
    const anchorMs = typeof schedule.anchorMs === "number" ? schedule.anchorMs : undefined;
    return { kind: "every", everyMs, ...(anchorMs !== undefined ? { anchorMs } : {}) };
  }
  if (schedule.kind === "cron" || schedule.cron !== undefined) {
    const expr = text(schedule, schedule.kind === "cron" ? "expr" : "cron");
    if (!expr)
      throw bad("a cron schedule needs its expression", 'e.g. { cron: "0 7 * * *", tz: "Europe/Berlin" }');
    return { kind: "cron", expr, ...(tz ? { tz } : {}) };
  }
  if (schedule.kind === "at" || schedule.at !== undefined) {
    const at = text(schedule, "at") as string;
    const hasOffset = /[zZ]|[+-]\d\d:?\d\d$/.test(at);
    if (tz && !hasOffset) validateSchedule({ kind: "cron", expr: "* * * * *", tz });
    // Offset-less instants are UTC, as OpenClaw reads them, unless a zone is given.
    const ms = hasOffset ? Date.parse(at) : tz ? instantOfWallTime(at, tz) : Date.parse(`${at}Z`);
    if (Number.isNaN(ms)) throw bad(`"${at}" is not an ISO 8601 instant`, "e.g. 2027-02-01T16:00:00Z");
    return { kind: "at", at: new Date(ms).toISOString() };
  }
  throw bad("schedule must be every, cron or at", "pass one of --every, --cron or --at");
}

/** `main`, `isolated`, `session:<key>` (OpenClaw's sessionTarget), or an explicit sessionKey. */
function sessionOf(body: Wire): CronSession | undefined {
  const key = text(body, "sessionKey");
  const target = text(body, "session") ?? text(body, "sessionTarget");
  if (target === "main") return { kind: "main" };
  if (target === "isolated") return { kind: "isolated" };
  if (target?.startsWith("session:")) return { kind: "key", sessionKey: target.slice("session:".length) };
  if (target !== undefined)
    throw bad(`session "${target}" is unknown`, "use isolated, main or session:<key>");
  return key ? { kind: "key", sessionKey: key } : undefined;
}

/** `{ channel, target }`, `"channel:target"`, or OpenClaw's `delivery: { mode: "announce", channel, to }`. */
function deliveryOf(body: Wire): CronDelivery | null | undefined {
  // `deliver: null` is asked for (stop delivering): only an absent field means "unchanged".
  const value = body.deliver !== undefined ? body.deliver : body.delivery;
  if (value === undefined) return undefined;
  if (value === null || value === false) return null;
  if (typeof value === "string") {
    const split = value.indexOf(":");
    if (split <= 0 || split === value.length - 1)
      throw bad(`--deliver "${value}" is not <channel>:<target>`, "e.g. --deliver telegram:123456789");
    return { channel: value.slice(0, split), target: value.slice(split + 1) };
  }
  if (typeof value !== "object") throw bad("deliver must be an object", "e.g. { channel, target }");
  const delivery = value as Wire;
  if (delivery.mode === "none") return null;
  const channel = text(delivery, "channel");
  const target = text(delivery, "target") ?? text(delivery, "to");
  if (!channel || !target || channel === "last")
    throw bad("delivery needs a channel and a target", 'e.g. { channel: "telegram", target: "123" }');
  const accountId = text(delivery, "accountId");
  const threadId = delivery.threadId === undefined ? undefined : String(delivery.threadId);
  return { channel, target, ...(accountId ? { accountId } : {}), ...(threadId ? { threadId } : {}) };
}

function missedOf(body: Wire): MissedPolicy | undefined {
  const missed = text(body, "missed");
  if (missed === undefined) return undefined;
  if (missed !== "skip" && missed !== "runOnce")
    throw bad(`missed "${missed}" is unknown`, "use skip or runOnce");
  return missed;
}

function messageOf(body: Wire): string | undefined {
  const payload = body.payload as Wire | undefined;
  if (payload && typeof payload === "object") {
    if (payload.kind !== "agentTurn")
      throw bad(
        `payload kind "${String(payload.kind)}" is not supported here`,
        "use an agentTurn payload with a message",
      );
    return text(payload, "message");
  }
  return text(body, "message");
}

function enabledOf(body: Wire): boolean | undefined {
  if (body.enabled === undefined) return undefined;
  if (typeof body.enabled !== "boolean") throw bad("enabled must be a boolean", "true or false");
  return body.enabled;
}

/** A new job from a request body (HTTP) or `cron.add` params (WebSocket). */
export function cronInputOf(body: Wire): CronJobInput {
  const schedule = scheduleOf(body.schedule);
  if (!schedule) throw bad("a cron job needs a schedule", "pass --every, --cron or --at");
  const name = text(body, "name");
  const message = messageOf(body);
  if (!name) throw bad("a cron job needs a name", "pass --name <name>");
  if (!message) throw bad("a cron job needs a message", "pass --message <text>");
  const agentId = text(body, "agentId");
  const session = sessionOf(body);
  const deliver = deliveryOf(body);
  const missed = missedOf(body);
  const enabled = enabledOf(body);
  return {
    name,
    message,
    schedule,
    ...(agentId ? { agentId } : {}),
    ...(session ? { session } : {}),
    ...(deliver ? { deliver } : {}),
    ...(missed ? { missed } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
  };
}

/** A change to a job (`cron edit`, `cron.update`'s patch): only what is given changes. */
export function cronPatchOf(body: Wire): CronJobPatch {
  const schedule = scheduleOf(body.schedule);
  const name = text(body, "name");
  const message = messageOf(body);
  const agentId = text(body, "agentId");
  const session = sessionOf(body);
  const deliver = deliveryOf(body);
  const missed = missedOf(body);
  const enabled = enabledOf(body);
  return {
    ...(schedule ? { schedule } : {}),
    ...(name ? { name } : {}),
    ...(message ? { message } : {}),
    ...(agentId ? { agentId } : {}),
    ...(session ? { session } : {}),
    ...(deliver !== undefined ? { deliver } : {}),
    ...(missed ? { missed } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
  };
}
