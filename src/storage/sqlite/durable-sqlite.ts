import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
// Not the package index: it also loads StateDirHealth, which this file does not need.
import type { StateWriter, WriteOutcomeReporter } from "../../state-dir-health/state-dir-health.js";
import { asStateWriteError } from "../../state-dir-health/state-write-error.js";
import { storageFailureOf } from "../../state-dir-health/write-failure.js";
import { migrateDurableSqlite } from "./durable-sqlite-migrate.js";

/** SQLite primary result codes (extended codes keep them in the low byte). */
const SQLITE_BUSY = 5;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
const SQLITE_HEADER_BYTES = 100;

/** What one state-dir database is: everything else about opening, writing and failing is shared. */
export interface DurableSqliteSpec {
  /** The file, relative to the state dir (`cron/cron.sqlite`). */
  readonly relativePath: string;
  /** The health's writer for this file: its failures and recoveries are reported as this one's. */
  readonly writer: StateWriter;
  /** Names the file in messages: "`<label>` database <path> is damaged: …". */
  readonly label: string;
  /** The schema, one entry per `PRAGMA user_version`: appended, never edited. */
  readonly migrations: readonly string[];
  readonly hints: {
    /** Used after close(): what the caller should do. */
    readonly closed: string;
    /** What moving a damaged file aside loses. */
    readonly damaged: (path: string) => string;
    /** What to do with a file a newer gateway wrote. */
    readonly newer: (path: string) => string;
    /** Who may be holding the write lock. */
    readonly busy: string;
  };
}

export interface DurableSqliteOptions {
  /** Told about every write's outcome: the state dir's health. */
  health?: WriteOutcomeReporter;
}

/**
 * A SQLite file in the state dir that the gateway and the CLI may open at once (WAL,
 * busy_timeout), created at first write (a read creates none). A write is a transaction committed
 * with a full sync before it returns, so what a caller was told is stored survives a kill and is
 * seen by the next process. A file that is not such a database is refused with its path and left
 * as it is; every failure is a typed error naming the file and what to do.
 */
export class DurableSqlite {
  readonly path: string;
  readonly #spec: DurableSqliteSpec;
  readonly #stateDir: string;
  readonly #health: WriteOutcomeReporter | undefined;
  #db: DatabaseSync | undefined;
  readonly #statements = new Map<string, StatementSync>();
  #closed = false;

  constructor(stateDir: string, spec: DurableSqliteSpec, options: DurableSqliteOptions = {}) {
    this.#stateDir = stateDir;
    this.#spec = spec;
    this.path = join(stateDir, spec.relativePath);
    this.#health = options.health;
  }

  /** The prepared statement for `sql` on the open database (prepared once per connection). */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (!this.#db) throw new Error(`the ${this.#spec.label} database is used outside read or write`);
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` on the database; `absent` answers instead while there is no file (a read creates none). */
  read<T>(work: () => T, absent?: () => T): T {
    if (absent && !this.#db && !existsSync(this.path)) return absent();
    this.#open();
    try {
      return work();
    } catch (error) {
      throw this.#failure(error);
    }
  }

  /** Runs `work` in one transaction, taking the write lock up front (a concurrent CLI waits, never deadlocks). */
  write<T>(work: () => T, absent?: () => T): T {
    if (absent && !this.#db && !existsSync(this.path)) return absent();
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
    this.#health?.writeSucceeded(this.#spec.writer);
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
      throw new OpenClawError("OC_ERR_INTERNAL", `the ${this.#spec.label} database ${this.path} is closed`, {
        hint: this.#spec.hints.closed,
      });
    }
    let db: DatabaseSync | undefined;
    try {
      // Judged before SQLite sees it: SQLite would create -wal and -shm files beside a torn one.
      this.#judgeHeader();
      this.#createPrivateFile();
      db = new DatabaseSync(this.path, { defensive: true });
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA journal_mode = WAL");
      // FULL: a commit is synced to the WAL before it returns, not at the next checkpoint.
      db.exec("PRAGMA synchronous = FULL");
      migrateDurableSqlite(db, this.#spec.migrations, (found) => this.#newerSchema(found));
      for (const suffix of ["-wal", "-shm"]) chmodIfPresent(`${this.path}${suffix}`);
      this.#db = db;
      return db;
    } catch (error) {
      db?.close();
      // A full disk here is reported as a write's: opening writes the file and schema the first time.
      throw this.#failure(error);
    }
  }

  /** Empty is a new database; anything else must start as SQLite does and hold its first page. */
  #judgeHeader(): void {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    try {
      const header = Buffer.alloc(SQLITE_HEADER_BYTES);
      const read = readSync(fd, header, 0, SQLITE_HEADER_BYTES, 0);
      if (read === 0) return;
      const magic = Math.min(read, SQLITE_MAGIC.length);
      if (!header.subarray(0, magic).equals(SQLITE_MAGIC.subarray(0, magic))) {
        throw this.#damaged("it is not a SQLite database (another program's file?)");
      }
      if (read < SQLITE_HEADER_BYTES) throw this.#damaged(`its header is cut short (${read} of 100 bytes)`);
      // Pages reach the main file whole (a checkpoint writes pages), so a shorter file was cut.
      const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
      const size = fstatSync(fd).size;
      if (size < pageSize) throw this.#damaged(`it is cut short (${size} bytes, pages of ${pageSize})`);
    } finally {
      closeSync(fd);
    }
  }

  #createPrivateFile(): void {
    const directory = dirname(this.path);
    // Owner-only, like the rest of the state dir: created so, never widened then narrowed.
    if (mkdirSync(directory, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(directory, 0o700);
    try {
      closeSync(openSync(this.path, "wx", 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
      throw error;
    }
    chmodSync(this.path, 0o600);
  }

  #damaged(reason: string, cause?: unknown): OpenClawError {
    return new OpenClawError(
      "OC_ERR_STATE_FILE",
      `${this.#spec.label} database ${this.path} is damaged: ${reason}`,
      {
        hint: this.#spec.hints.damaged(this.path),
        details: { path: this.path },
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }

  #newerSchema(version: number): OpenClawError {
    return new OpenClawError(
      "OC_ERR_STATE_FILE",
      `${this.#spec.label} database ${this.path} has schema version ${version}; this gateway understands up to ${this.#spec.migrations.length}`,
      { hint: this.#spec.hints.newer(this.path), details: { path: this.path, version } },
    );
  }

  /** What a caller sees of a failed statement: the typed error, saying which file and what to do. */
  #failure(error: unknown): unknown {
    if (error instanceof OpenClawError) return error;
    if (storageFailureOf(error)) {
      this.#health?.writeFailed(this.#spec.writer, error, this.path);
      return asStateWriteError(error, { stateDir: this.#stateDir, path: this.path });
    }
    const label = this.#spec.label;
    const primary = (((error as { errcode?: unknown } | null)?.errcode as number | undefined) ?? -1) & 0xff;
    const message = error instanceof Error ? error.message : String(error);
    if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) return this.#damaged(message, error);
    if (primary === SQLITE_BUSY) {
      return new OpenClawError("OC_ERR_INTERNAL", `${label} database ${this.path} stayed locked for 5 s`, {
        hint: this.#spec.hints.busy,
        details: { path: this.path },
        cause: error,
      });
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === "EACCES" || code === "EPERM") {
      return new OpenClawError(
        "OC_ERR_STATE_FILE",
        `cannot open ${label} database ${this.path}: ${message}`,
        {
          hint: `check that the gateway's user owns ${dirname(this.path)} and the files in it`,
          details: { path: this.path },
          cause: error,
        },
      );
    }
    return new OpenClawError("OC_ERR_INTERNAL", `${label} database ${this.path}: ${message}`, {
      hint: "retry; if it persists, check the disk and the file's permissions",
      details: { path: this.path },
      cause: error,
    });
  }
}

function chmodIfPresent(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
