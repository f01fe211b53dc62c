/**
 * A cron job as the gateway keeps it: what to say to which agent, when, in which session, and
 * where the reply goes. The schedule kinds are OpenClaw's (`cron.add`'s `schedule`): a cron
 * expression in a time zone, a fixed interval, or one instant.
 */

export type CronSchedule =
  | { kind: "cron"; expr: string; tz?: string }
  /** Slots at anchorMs + k·everyMs, k ≥ 1: the anchor is the job's creation unless given. */
  | { kind: "every"; everyMs: number; anchorMs: number }
  /** One slot, at this instant (ISO 8601, stored with its offset). */
  | { kind: "at"; at: string };

export type CronSession =
  /** A fresh session key per run: no history carried from one run to the next. */
  | { kind: "isolated" }
  /** The agent's main session (`agent:<id>:main`). */
  | { kind: "main" }
  /** An explicit session key, pinned. */
  | { kind: "key"; sessionKey: string };

export interface CronDelivery {
  channel: string;
  target: string;
  accountId?: string;
  threadId?: string;
}

/**
 * What happens to slots that fell while the gateway was down: `skip` (OpenClaw's default) records
 * them as skipped; `runOnce` runs the latest of them once, whatever their number.
 */
export type MissedPolicy = "skip" | "runOnce";

export interface CronJob {
  id: string;
  name: string;
  agentId: string;
  schedule: CronSchedule;
  message: string;
  session: CronSession;
  deliver?: CronDelivery;
  missed: MissedPolicy;
  enabled: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  /** The latest slot claimed (run, skipped or missed): no slot at or before it runs again. */
  lastSlotMs?: number;
}

export type CronRunOutcome = "running" | "ok" | "error" | "skipped" | "interrupted";

/** How a run came to be: its slot's time, a slot missed while down, or `cron run` by hand. */
export type CronRunTrigger = "schedule" | "missed" | "manual";

export interface CronRun {
  /** Increasing per store: the history's order. */
  seq: number;
  jobId: string;
  /** The slot this run claimed (a manual run: the time it was asked for). */
  slotMs: number;
  trigger: CronRunTrigger;
  startedAtMs: number;
  outcome: CronRunOutcome;
  finishedAtMs?: number;
  durationMs?: number;
  /** The turn's run id (its transcript's turn id). */
  runId?: string;
  sessionKey?: string;
  error?: string;
  /** Whether the reply went to the job's channel target; absent when it has none. */
  delivered?: boolean;
  /**
   * How many slots the row stands for when more than its own: a skipped row's, or a run's that
   * also covers the slots that fell while the job's previous turn ran (or while the gateway was
   * too busy to tick).
   */
  slots?: number;
}

export interface CronRunFinish {
  outcome: Exclude<CronRunOutcome, "running">;
  finishedAtMs: number;
  error?: string;
  delivered?: boolean;
}

/** A running run as `finish` leaves it, for every store. */
export function finishedRun(run: CronRun, finish: CronRunFinish): CronRun {
  return {
    ...run,
    outcome: finish.outcome,
    finishedAtMs: finish.finishedAtMs,
    durationMs: Math.max(0, finish.finishedAtMs - run.startedAtMs),
    ...(finish.error !== undefined ? { error: finish.error } : {}),
    ...(finish.delivered !== undefined ? { delivered: finish.delivered } : {}),
  };
}
