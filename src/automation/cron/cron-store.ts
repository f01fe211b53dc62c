import type { CronJob, CronRun, CronRunFinish } from "./cron-job.js";

/** A run as it is begun: everything but what the store assigns (seq) and what is claimed. */
export type CronRunStart = Omit<CronRun, "seq" | "jobId" | "slotMs">;

/**
 * Where cron jobs and their run history live: the state dir's SQLite file for a gateway
 * (`cron-store-sqlite.ts`), memory for tests. The contract (`cron-store-contract.ts`) is what
 * both pass. The one promise a backend must keep is `claimSlot`'s: the check that a slot is
 * still free and the record that it is taken are one atomic step, stored before it returns,
 * so a slot runs at most once across kills and restarts.
 */
export interface CronStore {
  /** Adds a job; a name already taken is refused (OC_ERR_BAD_REQUEST). */
  add(job: CronJob): Promise<void>;
  /** Replaces the job's definition; its claimed slot is kept unless `job.lastSlotMs` moves it forward. */
  update(job: CronJob): Promise<void>;
  get(id: string): Promise<CronJob | undefined>;
  /** A job by id, else by name. */
  find(idOrName: string): Promise<CronJob | undefined>;
  /** Every job, oldest first. */
  list(): Promise<CronJob[]>;
  /** Removes the job (its history stays readable by id); false when there was none. */
  remove(id: string): Promise<boolean>;
  /**
   * Claims `slotMs` for the job and records the run that takes it, in one transaction: undefined
   * (nothing written) when the job is gone or a slot at or after this one is already claimed.
   */
  claimSlot(jobId: string, slotMs: number, run: CronRunStart): Promise<CronRun | undefined>;
  /** Records a run that claims no slot (`cron run`): it never stops a scheduled slot. */
  recordManual(jobId: string, atMs: number, run: CronRunStart): Promise<CronRun>;
  /** Sets the run's end; a run already finished is left as it is. */
  finish(seq: number, finish: CronRunFinish): Promise<void>;
  /** The job's runs, newest first. */
  runs(jobId: string, limit?: number): Promise<CronRun[]>;
  /** Runs still `running` (the process that ran them is gone): marked `interrupted`. Returns how many. */
  interruptRunning(atMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Runs kept per job: older ones are pruned as new ones are recorded. */
export const MAX_RUNS_PER_JOB = 500;
