import { randomUUID } from "node:crypto";
import { toOpenClawError } from "../../errors.js";
import { type CronClock, SYSTEM_CLOCK } from "./cron-clock.js";
import {
  type CronDelivery,
  type CronJob,
  type CronRun,
  type CronRunTrigger,
  finishedRun,
} from "./cron-job.js";
import { countSlotsBetween, latestSlotBetween, nextSlotAfter } from "./cron-schedule.js";
import type { CronStore } from "./cron-store.js";

/**
 * What a cluster's schedulers (one per gateway, one shared store) use to run each job one turn at
 * a time across the cluster: a lease per job (`cron:<job id>`) held while its turn runs.
 */
export interface CronClusterLease {
  acquire(key: string, ttlMs: number): Promise<CronLease | null>;
  extend(lease: CronLease, ttlMs: number): Promise<boolean>;
  release(lease: CronLease): Promise<void>;
}

interface CronLease {
  readonly key: string;
  readonly token: string;
  readonly expiresAt: number;
}

/** A job's lease while its turn runs: renewed every third of it, so a dead holder frees it soon. */
const JOB_LEASE_TTL_MS = 30_000;
/**
 * In a cluster, slots this recent at start are not judged missed: a live gateway may be about to
 * claim them (its tick is due at the slot), and a skip claimed first would take the slot from it.
 * The schedule's own tick still runs them if nobody did.
 */
const CLUSTER_CATCH_UP_GRACE_MS = 5_000;

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

/** How soon a tick that met another gateway's job lease looks again. */
const CONTENDED_RETRY_MS = 250;

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
  /** The last tick found a due job's lease held by another gateway (a cluster). */
  #contended = false;
  readonly #cluster: CronClusterLease | undefined;

  constructor(options: {
    store: CronStore;
    effects: CronEffects;
    clock?: CronClock;
    /** While true no slot is claimed (a stopping gateway drains its turns: none may start). */
    paused?: () => boolean;
    /**
     * The store is shared by a cluster's gateways (each with its scheduler): every scheduler tries
     * each slot and the store's atomic claim lets one win. Job leases keep a job's turns one at a
     * time across gateways; a start leaves `running` runs alone (they may be another gateway's).
     */
    cluster?: CronClusterLease;
  }) {
    this.#store = options.store;
    this.#effects = options.effects;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#paused = options.paused ?? (() => false);
    this.#cluster = options.cluster;
  }

  /**
   * Marks runs a dead process left `running` as interrupted (never re-run: their slot is
   * claimed), applies each job's missed-slot policy to the slots that fell while no gateway
   * ran, then follows the schedule.
   */
  async start(): Promise<void> {
    const startedAt = this.#clock.now();
    // A shared store's running runs may be a live gateway's: only a gateway alone knows its own died.
    const interrupted = this.#cluster ? 0 : await this.#store.interruptRunning(startedAt);
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
    this.#contended = false;
    for (const job of await this.#store.list()) {
      if (!job.enabled || this.#busy.has(job.id)) continue;
      const due = latestSlotBetween(job.schedule, job.lastSlotMs ?? job.createdAtMs, now);
      if (due === undefined) continue;
      const runId = randomUUID();
      const lease = await this.#jobLease(job);
      if (lease === null) {
        // Another gateway holds the job: running its turn (this slot then waits, folded into the
        // next, as on one gateway), or only trying a slot it may not claim (its clock a hair
        // before the slot). Looked at again soon, so a slot nobody took is not lost.
        this.#contended = true;
        continue;
      }
      // Slots that fell since the last claim without one of their own (the job was still running,
      // or this thread was late: a loaded machine) go with this run, and its row says how many.
      const slots = countSlotsBetween(job.schedule, job.lastSlotMs ?? job.createdAtMs, due);
      const run = await this.#store.claimSlot(job.id, due, {
        ...this.#start("schedule", job, runId, now),
        ...(slots > 1 ? { slots } : {}),
      });
      if (run) this.#track(job, this.#execute(job, run), lease);
      else await this.#releaseLease(lease);
    }
  }

  /**
   * In a cluster, the job's lease (null: another gateway runs the job now: its slots wait, as a
   * busy job's do); alone, undefined (the in-memory busy set is enough).
   */
  async #jobLease(job: CronJob): Promise<CronLease | null | undefined> {
    if (!this.#cluster) return undefined;
    return this.#cluster.acquire(`cron:${job.id}`, JOB_LEASE_TTL_MS);
  }

  async #releaseLease(lease: CronLease | undefined): Promise<void> {
    if (!lease || !this.#cluster) return;
    await this.#cluster
      .release(lease)
      .catch((error: Error) =>
        this.#effects.log?.("warn", { error: error.message }, "cron job lease not released (it expires)"),
      );
  }

  /** Slots in (last claimed, start): skipped with one row, or the latest run once. */
  async #catchUp(job: CronJob, startedAt: number): Promise<void> {
    const after = job.lastSlotMs ?? job.createdAtMs;
    const before = this.#cluster ? startedAt - CLUSTER_CATCH_UP_GRACE_MS : startedAt - 1;
    const latest = latestSlotBetween(job.schedule, after, before);
    if (latest === undefined) return;
    // Held: another gateway runs the job now, so the cluster was not down; its slots are its own.
    const lease = await this.#jobLease(job);
    if (lease === null) return;
    const slots = countSlotsBetween(job.schedule, after, latest);
    const runId = randomUUID();
    if (job.missed === "runOnce") {
      const run = await this.#store.claimSlot(job.id, latest, {
        ...this.#start("missed", job, runId, startedAt),
        slots,
      });
      if (run) this.#track(job, this.#execute(job, run), lease);
      else await this.#releaseLease(lease);
      return;
    }
    await this.#releaseLease(lease);
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

  #track(job: CronJob, done: Promise<CronRun>, lease?: CronLease): void {
    this.#busy.set(job.id, done);
    const stopRenewing = lease ? this.#renewWhileRunning(lease) : undefined;
    void done.finally(() => {
      stopRenewing?.();
      // Out of the busy set at once (idle() waits on it). The slots that passed meanwhile are
      // judged now, not at the next timer: in a cluster once the lease is given back (a tick
      // before that would find it held and skip).
      this.#busy.delete(job.id);
      if (!lease) {
        if (this.#running) void this.tick();
        return;
      }
      void this.#releaseLease(lease).then(() => {
        if (this.#running) void this.tick();
      });
    });
  }

  /** Keeps the job's lease while its turn runs (turns may outlast the TTL); returns the stop. */
  #renewWhileRunning(lease: CronLease): () => void {
    const cluster = this.#cluster;
    let stopped = false;
    let timer: unknown;
    const renew = () => {
      if (stopped || !cluster) return;
      timer = this.#clock.setTimer(() => {
        void cluster.extend(lease, JOB_LEASE_TTL_MS).then(
          (kept) => kept && renew(),
          () => renew(),
        );
      }, JOB_LEASE_TTL_MS / 3);
    };
    renew();
    return () => {
      stopped = true;
      if (timer !== undefined) this.#clock.clearTimer(timer);
    };
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
    return finishedRun(run, finish);
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
        let next = now + (this.#contended ? CONTENDED_RETRY_MS : MAX_SLEEP_MS);
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
