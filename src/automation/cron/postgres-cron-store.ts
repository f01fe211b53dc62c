import type pg from "pg";
import type { PostgresDatabase } from "../../storage/postgres/index.js";
import { type CronJob, type CronRun, type CronRunFinish, finishedRun } from "./cron-job.js";
import { type CronRunStart, type CronStore, MAX_RUNS_PER_JOB } from "./cron-store.js";
import { nameTaken } from "./memory-cron-store.js";

interface JobRow {
  id: string;
  spec: CronJob;
  last_slot: string | null;
}

interface RunRow {
  seq: string;
  job_id: string;
  slot_ms: string;
  run: CronRun;
}

function jobOf(row: JobRow): CronJob {
  const job = { ...row.spec };
  delete job.lastSlotMs;
  return { ...job, ...(row.last_slot !== null ? { lastSlotMs: Number(row.last_slot) } : {}) };
}

function runOf(row: RunRow): CronRun {
  return { ...row.run, seq: Number(row.seq), jobId: row.job_id, slotMs: Number(row.slot_ms) };
}

function specOf(job: CronJob): string {
  const { lastSlotMs: _claimed, ...spec } = job;
  return JSON.stringify(spec);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === "23505";
}

/**
 * Cron jobs on the storage's PostgreSQL database (the `cron_jobs` and `cron_runs` tables of its
 * schema), shared by every gateway of a cluster. A claim is one conditional UPDATE in the
 * transaction that records the run: the row lock makes gateways claiming one slot at once wait
 * for each other, and the one that finds the slot taken changes nothing, so a slot runs once in
 * the whole cluster.
 */
export class PostgresCronStore implements CronStore {
  constructor(
    private readonly database: PostgresDatabase,
    /** Whether `close` ends the database's pool (a store opened on its own) or leaves it to the storage. */
    private readonly ownsDatabase = false,
  ) {}

  get location(): string {
    return this.database.location;
  }

  async add(job: CronJob): Promise<void> {
    try {
      await this.database.query(
        "INSERT INTO cron_jobs (id, name, spec, created_at, last_slot) VALUES ($1, $2, $3::jsonb, $4, $5)",
        [job.id, job.name, specOf(job), job.createdAtMs, job.lastSlotMs ?? null],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(job.name);
      throw error;
    }
  }

  async update(job: CronJob): Promise<void> {
    const slot = job.lastSlotMs ?? null;
    try {
      await this.database.query(
        `UPDATE cron_jobs SET name = $2, spec = $3::jsonb,
           last_slot = CASE WHEN last_slot IS NULL OR ($4::bigint IS NOT NULL AND $4::bigint > last_slot)
                            THEN $4::bigint ELSE last_slot END
         WHERE id = $1`,
        [job.id, job.name, specOf(job), slot],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(job.name);
      throw error;
    }
  }

  async get(id: string): Promise<CronJob | undefined> {
    const { rows } = await this.database.query<JobRow>(
      "SELECT id, spec, last_slot FROM cron_jobs WHERE id = $1",
      [id],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  async find(idOrName: string): Promise<CronJob | undefined> {
    const { rows } = await this.database.query<JobRow>(
      "SELECT id, spec, last_slot FROM cron_jobs WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1",
      [idOrName],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  async list(): Promise<CronJob[]> {
    const { rows } = await this.database.query<JobRow>(
      "SELECT id, spec, last_slot FROM cron_jobs ORDER BY created_at, created_seq",
    );
    return rows.map(jobOf);
  }

  async remove(id: string): Promise<boolean> {
    const { rowCount } = await this.database.query("DELETE FROM cron_jobs WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  claimSlot(jobId: string, slotMs: number, run: CronRunStart): Promise<CronRun | undefined> {
    return this.database.transaction(async (client) => {
      const claimed = await client.query(
        "UPDATE cron_jobs SET last_slot = $2 WHERE id = $1 AND (last_slot IS NULL OR last_slot < $2)",
        [jobId, slotMs],
      );
      if ((claimed.rowCount ?? 0) === 0) return undefined;
      return this.insert(client, jobId, slotMs, run);
    });
  }

  recordManual(jobId: string, atMs: number, run: CronRunStart): Promise<CronRun> {
    return this.database.transaction((client) => this.insert(client, jobId, atMs, run));
  }

  async finish(seq: number, finish: CronRunFinish): Promise<void> {
    await this.database.transaction(async (client) => {
      const { rows } = await client.query<RunRow>("SELECT * FROM cron_runs WHERE seq = $1 FOR UPDATE", [seq]);
      const row = rows[0];
      if (!row) return;
      const run = runOf(row);
      if (run.outcome !== "running") return;
      const finished = finishedRun(run, finish);
      await client.query("UPDATE cron_runs SET run = $2::jsonb, outcome = $3 WHERE seq = $1", [
        seq,
        JSON.stringify(finished),
        finished.outcome,
      ]);
    });
  }

  async runs(jobId: string, limit = MAX_RUNS_PER_JOB): Promise<CronRun[]> {
    const { rows } = await this.database.query<RunRow>(
      "SELECT * FROM cron_runs WHERE job_id = $1 ORDER BY seq DESC LIMIT $2",
      [jobId, limit],
    );
    return rows.map(runOf);
  }

  /**
   * In a cluster "running" may be another live gateway's run: the caller (the cron service at
   * start) must only call this when no other gateway runs cron, e.g. as the cron leader.
   */
  async interruptRunning(atMs: number): Promise<number> {
    const { rowCount } = await this.database.query(
      `UPDATE cron_runs SET outcome = 'interrupted',
         run = run || jsonb_build_object('outcome', 'interrupted', 'finishedAtMs', $1::bigint,
                                         'error', 'the gateway stopped while this run was going')
       WHERE outcome = 'running'`,
      [atMs],
    );
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.ownsDatabase) await this.database.close();
  }

  private async insert(
    client: pg.PoolClient,
    jobId: string,
    slotMs: number,
    run: CronRunStart,
  ): Promise<CronRun> {
    const { rows } = await client.query<{ seq: string }>(
      "INSERT INTO cron_runs (job_id, slot_ms, outcome, run) VALUES ($1, $2, $3, $4::jsonb) RETURNING seq",
      [jobId, slotMs, run.outcome, JSON.stringify(run)],
    );
    await client.query(
      `DELETE FROM cron_runs WHERE job_id = $1 AND seq <= (
         SELECT seq FROM cron_runs WHERE job_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`,
      [jobId, MAX_RUNS_PER_JOB],
    );
    return { ...run, seq: Number(rows[0]?.seq), jobId, slotMs };
  }
}
