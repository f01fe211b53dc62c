import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import type { WriteOutcomeReporter } from "../../state-dir-health/state-dir-health.js";
import { asStateWriteError } from "../../state-dir-health/state-write-error.js";
import { storageFailureOf } from "../../state-dir-health/write-failure.js";

export const CRON_DATABASE_PATH = join("cron", "cron.sqlite");

const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

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

/**
 * `<state>/cron/cron.sqlite`: jobs and their runs. WAL with a full sync per commit, so a slot
 * claimed is on disk before its turn starts and a kill at any point leaves either the claim or
 * nothing. Opened at first use; a file that is not such a database is refused with its path.
 */
export class CronDatabase {
  readonly path: string;
  readonly #stateDir: string;
  readonly #health: WriteOutcomeReporter | undefined;
  #db: DatabaseSync | undefined;
  readonly #statements = new Map<string, StatementSync>();
  #closed = false;

  constructor(stateDir: string, options: { health?: WriteOutcomeReporter } = {}) {
    this.#stateDir = stateDir;
    this.path = join(stateDir, CRON_DATABASE_PATH);
    this.#health = options.health;
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#open().prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  read<T>(work: () => T, absent: () => T): T {
    if (!this.#db && !existsSync(this.path)) return absent();
    this.#open();
    try {
      return work();
    } catch (error) {
      throw this.#failure(error);
    }
  }

  write<T>(work: () => T): T {
    const db = this.#open();
    let result: T;
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        result = work();
        db.exec("COMMIT");
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      throw this.#failure(error);
    }
    this.#health?.writeSucceeded("cron");
    return result;
  }

  close(): void {
    this.#closed = true;
    this.#statements.clear();
    this.#db?.close();
    this.#db = undefined;
  }

  #open(): DatabaseSync {
    if (this.#db) return this.#db;
    if (this.#closed) {
      throw new OpenClawError("OC_ERR_INTERNAL", `the cron database ${this.path} is closed`, {
        hint: "the gateway is stopping: retry once it runs again",
      });
    }
    let db: DatabaseSync | undefined;
    try {
      this.#judgeHeader();
      const directory = dirname(this.path);
      if (mkdirSync(directory, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(directory, 0o700);
      db = new DatabaseSync(this.path, { defensive: true });
      chmodSync(this.path, 0o600);
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA journal_mode = WAL");
      // FULL: a claim is synced to the WAL before the turn it allows starts.
      db.exec("PRAGMA synchronous = FULL");
      migrate(db, (found) => this.#newer(found));
      this.#db = db;
      return db;
    } catch (error) {
      db?.close();
      throw this.#failure(error);
    }
  }

  /** Judged before SQLite sees it: SQLite would write -wal and -shm files beside a foreign one. */
  #judgeHeader(): void {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    try {
      const header = Buffer.alloc(SQLITE_MAGIC.length);
      const read = readSync(fd, header, 0, header.length, 0);
      if (read > 0 && !header.subarray(0, read).equals(SQLITE_MAGIC.subarray(0, read)))
        throw this.#damaged("it is not a SQLite database");
    } finally {
      closeSync(fd);
    }
  }

  #damaged(reason: string, cause?: unknown): OpenClawError {
    return new OpenClawError("OC_ERR_STATE_FILE", `cron database ${this.path} is damaged: ${reason}`, {
      hint: `stop the gateway and move it aside with its -wal and -shm files (\`mv ${this.path} ${this.path}.corrupt\`); a new one starts with no cron jobs`,
      details: { path: this.path },
      ...(cause === undefined ? {} : { cause }),
    });
  }

  #newer(version: number): OpenClawError {
    return new OpenClawError(
      "OC_ERR_STATE_FILE",
      `cron database ${this.path} has schema version ${version}; this gateway understands up to ${MIGRATIONS.length}`,
      { hint: "run the newer gateway that wrote it", details: { path: this.path, version } },
    );
  }

  #failure(error: unknown): unknown {
    if (error instanceof OpenClawError) return error;
    if (storageFailureOf(error)) {
      this.#health?.writeFailed("cron", error, this.path);
      return asStateWriteError(error, { stateDir: this.#stateDir, path: this.path });
    }
    const primary = (((error as { errcode?: unknown } | null)?.errcode as number | undefined) ?? -1) & 0xff;
    const message = error instanceof Error ? error.message : String(error);
    if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) return this.#damaged(message, error);
    return new OpenClawError("OC_ERR_INTERNAL", `cron database ${this.path}: ${message}`, {
      hint: "retry; if it persists, check the disk and the file's permissions",
      details: { path: this.path },
      cause: error,
    });
  }
}

function userVersion(db: DatabaseSync): number {
  return Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
}

function migrate(db: DatabaseSync, refuseNewer: (version: number) => Error): void {
  if (userVersion(db) === MIGRATIONS.length) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    const locked = userVersion(db);
    if (locked > MIGRATIONS.length) throw refuseNewer(locked);
    for (let version = locked; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version] as string);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
