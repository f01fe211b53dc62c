import { OpenClawError } from "../../errors.js";
import type { CronJob, CronRun, CronRunFinish } from "./cron-job.js";
import { type CronRunStart, type CronStore, MAX_RUNS_PER_JOB } from "./cron-store.js";

const copy = <T>(value: T): T => structuredClone(value);

export function nameTaken(name: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", `a cron job named "${name}" exists already`, {
    hint: "pick another --name, or change that job with `openclaw cron edit`",
  });
}

/** Cron jobs in this process's memory: tests, and the contract's reference. */
export class MemoryCronStore implements CronStore {
  readonly #jobs = new Map<string, CronJob>();
  readonly #runs: CronRun[] = [];
  #seq = 0;

  async add(job: CronJob): Promise<void> {
    if ([...this.#jobs.values()].some((other) => other.name === job.name)) throw nameTaken(job.name);
    this.#jobs.set(job.id, copy(job));
  }

  async update(job: CronJob): Promise<void> {
    const current = this.#jobs.get(job.id);
    if (!current) return;
    if ([...this.#jobs.values()].some((other) => other.name === job.name && other.id !== job.id))
      throw nameTaken(job.name);
    const lastSlotMs = Math.max(current.lastSlotMs ?? -Infinity, job.lastSlotMs ?? -Infinity);
    this.#jobs.set(job.id, { ...copy(job), ...(Number.isFinite(lastSlotMs) ? { lastSlotMs } : {}) });
  }

  async get(id: string): Promise<CronJob | undefined> {
    const job = this.#jobs.get(id);
    return job ? copy(job) : undefined;
  }

  async find(idOrName: string): Promise<CronJob | undefined> {
    const job = this.#jobs.get(idOrName) ?? [...this.#jobs.values()].find((other) => other.name === idOrName);
    return job ? copy(job) : undefined;
  }

  async list(): Promise<CronJob[]> {
    return [...this.#jobs.values()].map(copy);
  }

  async remove(id: string): Promise<boolean> {
    return this.#jobs.delete(id);
  }

  async claimSlot(jobId: string, slotMs: number, run: CronRunStart): Promise<CronRun | undefined> {
    const job = this.#jobs.get(jobId);
    if (!job || (job.lastSlotMs !== undefined && job.lastSlotMs >= slotMs)) return undefined;
    job.lastSlotMs = slotMs;
    return this.#record(jobId, slotMs, run);
  }

  async recordManual(jobId: string, atMs: number, run: CronRunStart): Promise<CronRun> {
    return this.#record(jobId, atMs, run);
  }

  async finish(seq: number, finish: CronRunFinish): Promise<void> {
    const run = this.#runs.find((candidate) => candidate.seq === seq);
    if (run?.outcome !== "running") return;
    run.outcome = finish.outcome;
    run.finishedAtMs = finish.finishedAtMs;
    run.durationMs = Math.max(0, finish.finishedAtMs - run.startedAtMs);
    if (finish.error !== undefined) run.error = finish.error;
    if (finish.delivered !== undefined) run.delivered = finish.delivered;
  }

  async runs(jobId: string, limit = MAX_RUNS_PER_JOB): Promise<CronRun[]> {
    return this.#runs
      .filter((run) => run.jobId === jobId)
      .reverse()
      .slice(0, limit)
      .map(copy);
  }

  async interruptRunning(atMs: number): Promise<number> {
    let count = 0;
    for (const run of this.#runs) {
      if (run.outcome !== "running") continue;
      run.outcome = "interrupted";
      run.finishedAtMs = atMs;
      run.error = "the gateway stopped while this run was going";
      count++;
    }
    return count;
  }

  async close(): Promise<void> {}

  #record(jobId: string, slotMs: number, run: CronRunStart): CronRun {
    const recorded: CronRun = { ...copy(run), seq: ++this.#seq, jobId, slotMs };
    this.#runs.push(recorded);
    const ofJob = this.#runs.filter((candidate) => candidate.jobId === jobId);
    if (ofJob.length > MAX_RUNS_PER_JOB) {
      const oldest = ofJob[0] as CronRun;
      this.#runs.splice(this.#runs.indexOf(oldest), 1);
    }
    return copy(recorded);
  }
}
