import { randomUUID } from "node:crypto";
import { toOpenClawError } from "../../errors.js";
import { type CronClock, SYSTEM_CLOCK } from "./cron-clock.js";
import type { CronDelivery, CronJob, CronRun, CronRunTrigger } from "./cron-job.js";
import { countSlotsBetween, latestSlotBetween, nextSlotAfter } from "./cron-schedule.js";
import type { CronStore } from "./cron-store.js";

/** What a run does with the world: one agent turn, and a message to a channel. */
export interface CronEffects {
  /** Runs the job's message as a turn in `sessionKey`; resolves with the reply's text. */
  turn(job: CronJob, sessionKey: string, runId: string): Promise<string>;
  deliver(delivery: CronDelivery, text: string): Promise<void>;
  /** Where a job's runs go: its main session, its pinned key, or a fresh one per run. */
  sessionKeyOf(job: CronJob, runId: string): string;
  log?(level: "info" | "warn" | "error", details: Record<string, unknown>, message: string): void;
}

/** The longest the scheduler sleeps: a wall clock moved by hand (NTP, suspend) is seen within it. */
const MAX_SLEEP_MS = 30_000;

/**
 * Fires each enabled job at its slots. A slot is claimed in the store (the claim is on disk)
 * before its turn starts, so a kill at any moment leaves a slot either unclaimed (it will be
 * judged as missed) or claimed once (it never runs again). A job runs one turn at a time: slots
 * that pass while its turn goes are folded into the next, as OpenClaw's scheduler does.
 */
export class CronScheduler {
  readonly #store: CronStore;
  readonly #effects: CronEffects;
  readonly #clock: CronClock;
  readonly #paused: () => boolean;
  readonly #busy = new Map<string, Promise<CronRun>>();
  #timer: unknown;
  #ticking: Promise<void> | undefined;
  #again = false;
  #running = false;

  constructor(options: {
    store: CronStore;
    effects: CronEffects;
    clock?: CronClock;
    /** While true no slot is claimed (a stopping gateway drains its turns: none may start). */
    paused?: () => boolean;
  }) {
    this.#store = options.store;
    this.#effects = options.effects;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#paused = options.paused ?? (() => false);
  }

  /**
   * Marks runs a dead process left `running` as interrupted (never re-run: their slot is
   * claimed), applies each job's missed-slot policy to the slots that fell while no gateway
   * ran, then follows the schedule.
   */
  async start(): Promise<void> {
    const startedAt = this.#clock.now();
    const interrupted = await this.#store.interruptRunning(startedAt);
    if (interrupted > 0)
      this.#effects.log?.("warn", { interrupted }, "cron runs interrupted by a stop were not re-run");
    for (const job of await this.#store.list()) {
      if (job.enabled) await this.#catchUp(job, startedAt);
    }
    this.#running = true;
    await this.tick();
  }

  async stop(graceMs = 5000): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref?.())]);
  }

  /** Resolves when no run is going (tests; a stop's grace). */
  async idle(): Promise<void> {
    while (this.#busy.size > 0 || this.#ticking) {
      await Promise.allSettled([...this.#busy.values(), this.#ticking]);
    }
  }

  /** Looks at every job now: claims and starts what is due, then sleeps until the next slot. */
  tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      try {
        do {
          this.#again = false;
          await this.#tickOnce();
        } while (this.#again && this.#running);
      } catch (error) {
        this.#effects.log?.("error", { error: (error as Error).message }, "cron scheduler tick failed");
      } finally {
        this.#ticking = undefined;
        this.#arm();
      }
    })();
    return this.#ticking;
  }

  /** `cron run`: a turn now, outside the schedule; it claims no slot. Resolves when it ends. */
  async runNow(job: CronJob): Promise<CronRun> {
    const runId = randomUUID();
    const now = this.#clock.now();
    const run = await this.#store.recordManual(job.id, now, this.#start("manual", job, runId, now));
    return this.#execute(job, run);
  }

  /** When the job fires next (undefined: never: a past `at`, or disabled). */
  nextRunAt(job: CronJob): number | undefined {
    if (!job.enabled) return undefined;
    const from = Math.max(job.lastSlotMs ?? job.createdAtMs, this.#clock.now());
    return nextSlotAfter(job.schedule, from);
  }

  isBusy(jobId: string): boolean {
    return this.#busy.has(jobId);
  }

  async #tickOnce(): Promise<void> {
    if (!this.#running || this.#paused()) return;
    const now = this.#clock.now();
    for (const job of await this.#store.list()) {
      if (!job.enabled || this.#busy.has(job.id)) continue;
      const due = latestSlotBetween(job.schedule, job.lastSlotMs ?? job.createdAtMs, now);
      if (due === undefined) continue;
      const runId = randomUUID();
      const run = await this.#store.claimSlot(job.id, due, this.#start("schedule", job, runId, now));
      if (run) this.#track(job, this.#execute(job, run));
    }
  }

  /** Slots in (last claimed, start): skipped with one row, or the latest run once. */
  async #catchUp(job: CronJob, startedAt: number): Promise<void> {
    const after = job.lastSlotMs ?? job.createdAtMs;
    const latest = latestSlotBetween(job.schedule, after, startedAt - 1);
    if (latest === undefined) return;
    const slots = countSlotsBetween(job.schedule, after, latest);
    const runId = randomUUID();
    if (job.missed === "runOnce") {
      const run = await this.#store.claimSlot(job.id, latest, {
        ...this.#start("missed", job, runId, startedAt),
        slots,
      });
      if (run) this.#track(job, this.#execute(job, run));
      return;
    }
    const skipped = await this.#store.claimSlot(job.id, latest, {
      trigger: "missed",
      startedAtMs: startedAt,
      outcome: "running",
      slots,
    });
    if (skipped) {
      await this.#store.finish(skipped.seq, {
        outcome: "skipped",
        finishedAtMs: startedAt,
        error: `${slots} slot(s) passed while the gateway was down (missed: skip)`,
      });
      this.#effects.log?.("info", { job: job.name, slots }, "cron slots missed while down were skipped");
    }
  }

  #start(trigger: CronRunTrigger, job: CronJob, runId: string, now: number) {
    return {
      trigger,
      startedAtMs: now,
      outcome: "running" as const,
      runId,
      sessionKey: this.#effects.sessionKeyOf(job, runId),
    };
  }

  #track(job: CronJob, done: Promise<CronRun>): void {
    this.#busy.set(job.id, done);
    void done.finally(() => {
      this.#busy.delete(job.id);
      // The slots that passed meanwhile are judged now, not at the next timer.
      if (this.#running) void this.tick();
    });
  }

  async #execute(job: CronJob, run: CronRun): Promise<CronRun> {
    const sessionKey = run.sessionKey as string;
    let finish: Parameters<CronStore["finish"]>[1];
    try {
      const text = await this.#effects.turn(job, sessionKey, run.runId as string);
      let delivered: boolean | undefined;
      let error: string | undefined;
      if (job.deliver) {
        try {
          if (text.trim() !== "") await this.#effects.deliver(job.deliver, text);
          delivered = text.trim() !== "";
        } catch (failure) {
          delivered = false;
          error = `delivery to ${job.deliver.channel}:${job.deliver.target} failed: ${toOpenClawError(failure).message}`;
        }
      }
      finish = {
        outcome: error ? "error" : "ok",
        finishedAtMs: this.#clock.now(),
        ...(delivered !== undefined ? { delivered } : {}),
        ...(error ? { error } : {}),
      };
    } catch (failure) {
      finish = { outcome: "error", finishedAtMs: this.#clock.now(), error: toOpenClawError(failure).message };
    }
    try {
      await this.#store.finish(run.seq, finish);
    } catch (failure) {
      this.#effects.log?.(
        "error",
        { job: job.name, error: (failure as Error).message },
        "cron run end not stored",
      );
    }
    if (finish.outcome === "error")
      this.#effects.log?.("warn", { job: job.name, error: finish.error }, "cron run failed");
    const { finishedAtMs, outcome } = finish;
    return {
      ...run,
      outcome,
      finishedAtMs,
      durationMs: Math.max(0, finishedAtMs - run.startedAtMs),
      ...(finish.error !== undefined ? { error: finish.error } : {}),
      ...(finish.delivered !== undefined ? { delivered: finish.delivered } : {}),
    };
  }

  #arm(): void {
    if (!this.#running) return;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    void this.#store
      .list()
      .then((jobs) => {
        if (!this.#running) return;
        const now = this.#clock.now();
        let next = now + MAX_SLEEP_MS;
        for (const job of jobs) {
          if (!job.enabled || this.#busy.has(job.id)) continue;
          const slot = nextSlotAfter(job.schedule, Math.max(job.lastSlotMs ?? job.createdAtMs, now));
          if (slot !== undefined && slot < next) next = slot;
        }
        if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
        this.#timer = this.#clock.setTimer(() => void this.tick(), Math.max(0, next - now));
      })
      .catch((error: Error) => {
        this.#effects.log?.("error", { error: error.message }, "cron scheduler cannot read its jobs");
        this.#timer = this.#clock.setTimer(() => void this.tick(), MAX_SLEEP_MS);
      });
  }
}
