import type { CronJob, CronRun } from "./cron-job.js";
import type { CronJobView } from "./cron-service.js";

/**
 * This gateway's jobs and runs in the shapes of OpenClaw's protocol (`CronJob`,
 * `CronRunLogEntry` in @openclaw/gateway-protocol), for the cron.* WebSocket methods: what an
 * OpenClaw client reads, with nothing the schemas do not declare.
 */
export function protocolJob(job: CronJobView): Record<string, unknown> {
  const { schedule, session, deliver } = job;
  return {
    id: job.id,
    name: job.name,
    agentId: job.agentId,
    ...(session.kind === "key" ? { sessionKey: session.sessionKey } : {}),
    enabled: job.enabled,
    createdAtMs: job.createdAtMs,
    updatedAtMs: job.updatedAtMs,
    schedule:
      schedule.kind === "every"
        ? { kind: "every", everyMs: schedule.everyMs, anchorMs: schedule.anchorMs }
        : schedule.kind === "cron"
          ? { kind: "cron", expr: schedule.expr, ...(schedule.tz ? { tz: schedule.tz } : {}) }
          : { kind: "at", at: schedule.at },
    sessionTarget: session.kind === "key" ? `session:${session.sessionKey}` : session.kind,
    // A job's turn starts at its slot: there is no heartbeat to wait for here.
    wakeMode: "now",
    payload: { kind: "agentTurn", message: job.message },
    delivery: deliver
      ? {
          mode: "announce",
          channel: deliver.channel,
          to: deliver.target,
          ...(deliver.accountId ? { accountId: deliver.accountId } : {}),
          ...(deliver.threadId ? { threadId: deliver.threadId } : {}),
        }
      : { mode: "none" },
    state: {
      ...(job.nextRunAtMs !== undefined ? { nextRunAtMs: job.nextRunAtMs } : {}),
    },
  };
}

/** A finished run as a log entry; `interrupted` (the gateway stopped mid-run) is an error there. */
export function protocolRun(run: CronRun, job: CronJob): Record<string, unknown> {
  const status = run.outcome === "ok" ? "ok" : run.outcome === "skipped" ? "skipped" : "error";
  return {
    ts: run.finishedAtMs ?? run.startedAtMs,
    jobId: run.jobId,
    jobName: job.name,
    action: "finished",
    status,
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.delivered !== undefined ? { delivered: run.delivered } : {}),
    deliveryStatus:
      run.delivered === undefined ? "not-requested" : run.delivered ? "delivered" : "not-delivered",
    ...(run.sessionKey ? { sessionKey: run.sessionKey } : {}),
    ...(run.runId ? { runId: run.runId } : {}),
    runAtMs: run.slotMs,
    ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
  };
}
