import { join } from "node:path";
import {
  DurableSqlite,
  type DurableSqliteOptions,
  type DurableSqliteSpec,
} from "../../storage/sqlite/index.js";

export const CRON_DATABASE_PATH = join("cron", "cron.sqlite");

/** Appended, never edited: a file from any earlier build is brought forward step by step. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    spec TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_slot INTEGER
  );
  -- AUTOINCREMENT: a seq is never reused after a prune, so seqs keep the history's order.
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    slot_ms INTEGER NOT NULL,
    run TEXT NOT NULL,
    outcome TEXT NOT NULL
  );
  CREATE INDEX runs_by_job ON runs (job_id, seq);
  CREATE INDEX runs_running ON runs (seq) WHERE outcome = 'running';
  `,
];

const CRON: DurableSqliteSpec = {
  relativePath: CRON_DATABASE_PATH,
  writer: "cron",
  label: "cron",
  migrations: MIGRATIONS,
  hints: {
    closed: "the gateway is stopping: retry once it runs again",
    damaged: (path) =>
      `stop the gateway and move it aside with its -wal and -shm files (\`mv ${path} ${path}.corrupt\`); a new one starts with no cron jobs`,
    newer: () => "run the newer gateway that wrote it",
    busy: "another process holds it (a stuck `openclaw cron` command?): end it, then retry",
  },
};

/**
 * `<state>/cron/cron.sqlite`: jobs and their runs. A full sync per commit, so a slot claimed is
 * on disk before its turn starts and a kill at any point leaves either the claim or nothing.
 */
export class CronDatabase extends DurableSqlite {
  constructor(stateDir: string, options: DurableSqliteOptions = {}) {
    super(stateDir, CRON, options);
  }
}
