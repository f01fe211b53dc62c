import type { WriteOutcomeReporter } from "../../state-dir-health/state-dir-health.js";
import { CronDatabase } from "./cron-database.js";
import { type CronJob, type CronRun, type CronRunFinish, finishedRun } from "./cron-job.js";
import { type CronRunStart, type CronStore, MAX_RUNS_PER_JOB } from "./cron-store.js";
import { nameTaken } from "./memory-cron-store.js";

interface JobRow {
  id: string;
  name: string;
  spec: string;
  last_slot: number | null;
}

interface RunRow {
  seq: number;
  job_id: string;
  slot_ms: number;
  run: string;
}

const INSERT_JOB = "INSERT INTO jobs (id, name, spec, created_at, last_slot) VALUES (?, ?, ?, ?, ?)";
const UPDATE_JOB = `UPDATE jobs SET name = ?, spec = ?,
  last_slot = CASE WHEN last_slot IS NULL OR (? IS NOT NULL AND ? > last_slot) THEN ? ELSE last_slot END
  WHERE id = ?`;
const NAME_OWNER = "SELECT id FROM jobs WHERE name = ?";
const GET_JOB = "SELECT * FROM jobs WHERE id = ?";
const FIND_JOB = "SELECT * FROM jobs WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1";
const LIST_JOBS = "SELECT * FROM jobs ORDER BY created_at, rowid";
const REMOVE_JOB = "DELETE FROM jobs WHERE id = ?";
// The claim's check and its record in one statement: it changes a row only while the slot is free.
const CLAIM = "UPDATE jobs SET last_slot = ? WHERE id = ? AND (last_slot IS NULL OR last_slot < ?)";
const INSERT_RUN = "INSERT INTO runs (job_id, slot_ms, run, outcome) VALUES (?, ?, ?, ?)";
const GET_RUN = "SELECT * FROM runs WHERE seq = ?";
const SET_RUN = "UPDATE runs SET run = ?, outcome = ? WHERE seq = ?";
const RUNS_OF = "SELECT * FROM runs WHERE job_id = ? ORDER BY seq DESC LIMIT ?";
const RUNNING = "SELECT * FROM runs WHERE outcome = 'running'";
const PRUNE = `DELETE FROM runs WHERE job_id = ? AND seq <= (
  SELECT seq FROM runs WHERE job_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`;

function jobOf(row: JobRow): CronJob {
  const job = JSON.parse(row.spec) as CronJob;
  delete job.lastSlotMs;
  return { ...job, ...(row.last_slot !== null ? { lastSlotMs: Number(row.last_slot) } : {}) };
}

function runOf(row: RunRow): CronRun {
  return {
    ...(JSON.parse(row.run) as CronRun),
    seq: Number(row.seq),
    jobId: row.job_id,
    slotMs: Number(row.slot_ms),
  };
}

function specOf(job: CronJob): string {
  const { lastSlotMs: _claimed, ...spec } = job;
  return JSON.stringify(spec);
}

/**
 * Cron jobs in `<state>/cron/cron.sqlite`. A job's definition is one JSON column (its shape can
 * grow without a migration); its claimed slot is a column of its own, so that the claim is one
 * conditional UPDATE inside the transaction that records the run.
 */
export class SqliteCronStore implements CronStore {
  readonly #database: CronDatabase;

  /** On a state dir, or on a database opened by the caller (tests reach its PRAGMAs). */
  constructor(where: string | CronDatabase, options: { health?: WriteOutcomeReporter } = {}) {
    this.#database = typeof where === "string" ? new CronDatabase(where, options) : where;
  }

  get path(): string {
    return this.#database.path;
  }

  async add(job: CronJob): Promise<void> {
    this.#database.write(() => {
      if (this.#database.statement(NAME_OWNER).get(job.name)) throw nameTaken(job.name);
      this.#database
        .statement(INSERT_JOB)
        .run(job.id, job.name, specOf(job), job.createdAtMs, job.lastSlotMs ?? null);
    });
  }

  async update(job: CronJob): Promise<void> {
    this.#database.write(() => {
      const owner = this.#database.statement(NAME_OWNER).get(job.name) as { id: string } | undefined;
      if (owner && owner.id !== job.id) throw nameTaken(job.name);
      const slot = job.lastSlotMs ?? null;
      this.#database.statement(UPDATE_JOB).run(job.name, specOf(job), slot, slot, slot, job.id);
    });
  }

  async get(id: string): Promise<CronJob | undefined> {
    return this.#database.read(
      () => {
        const row = this.#database.statement(GET_JOB).get(id) as JobRow | undefined;
        return row ? jobOf(row) : undefined;
      },
      () => undefined,
    );
  }

  async find(idOrName: string): Promise<CronJob | undefined> {
    return this.#database.read(
      () => {
        const row = this.#database.statement(FIND_JOB).get(idOrName, idOrName, idOrName) as
          | JobRow
          | undefined;
        return row ? jobOf(row) : undefined;
      },
      () => undefined,
    );
  }

  async list(): Promise<CronJob[]> {
    return this.#database.read(
      () => (this.#database.statement(LIST_JOBS).all() as unknown as JobRow[]).map(jobOf),
      () => [],
    );
  }

  async remove(id: string): Promise<boolean> {
    return this.#database.write(() => Number(this.#database.statement(REMOVE_JOB).run(id).changes) > 0);
  }

  async claimSlot(jobId: string, slotMs: number, run: CronRunStart): Promise<CronRun | undefined> {
    return this.#database.write(() => {
      if (Number(this.#database.statement(CLAIM).run(slotMs, jobId, slotMs).changes) === 0) return undefined;
      return this.#insert(jobId, slotMs, run);
    });
  }

  async recordManual(jobId: string, atMs: number, run: CronRunStart): Promise<CronRun> {
    return this.#database.write(() => this.#insert(jobId, atMs, run));
  }

  async finish(seq: number, finish: CronRunFinish): Promise<void> {
    this.#database.write(() => {
      const row = this.#database.statement(GET_RUN).get(seq) as RunRow | undefined;
      if (!row) return;
      const run = runOf(row);
      if (run.outcome !== "running") return;
      const finished = finishedRun(run, finish);
      this.#database.statement(SET_RUN).run(JSON.stringify(finished), finished.outcome, seq);
    });
  }

  async runs(jobId: string, limit = MAX_RUNS_PER_JOB): Promise<CronRun[]> {
    return this.#database.read(
      () => (this.#database.statement(RUNS_OF).all(jobId, limit) as unknown as RunRow[]).map(runOf),
      () => [],
    );
  }

  async interruptRunning(atMs: number): Promise<number> {
    return this.#database.read(
      () =>
        this.#database.write(() => {
          const rows = this.#database.statement(RUNNING).all() as unknown as RunRow[];
          for (const row of rows) {
            const interrupted: CronRun = {
              ...runOf(row),
              outcome: "interrupted",
              finishedAtMs: atMs,
              error: "the gateway stopped while this run was going",
            };
            this.#database.statement(SET_RUN).run(JSON.stringify(interrupted), "interrupted", row.seq);
          }
          return rows.length;
        }),
      () => 0,
    );
  }

  async close(): Promise<void> {
    this.#database.close();
  }

  #insert(jobId: string, slotMs: number, run: CronRunStart): CronRun {
    const result = this.#database.statement(INSERT_RUN).run(jobId, slotMs, JSON.stringify(run), run.outcome);
    this.#database.statement(PRUNE).run(jobId, jobId, MAX_RUNS_PER_JOB);
    return { ...run, seq: Number(result.lastInsertRowid), jobId, slotMs };
  }
}
