import type { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import { corruptionReason, corruptStoreError, isCorruption } from "./corruption.js";

/**
 * Every statement of a memory store runs through here. SQLite reports damage only when a
 * statement reads a damaged page (and may still accept writes elsewhere), so the first such
 * error marks the whole store: writes to a file known to be damaged would only be lost again at
 * the repair. Other SQLite errors become OC_ERR_INTERNAL with the file named.
 */
export class StatementGuard {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #onCorrupt: ((reason: string) => void) | undefined;
  /** Called after a rollback, so state kept beside the file (the vector index) can be dropped. */
  onRollback: (() => void) | undefined;
  /** Set once SQLite said the file is damaged: from then on every call is refused. */
  #corruption: string | undefined;

  constructor(db: DatabaseSync, path: string, onCorrupt: ((reason: string) => void) | undefined) {
    this.#db = db;
    this.#path = path;
    this.#onCorrupt = onCorrupt;
  }

  /** What SQLite said about the damage, once a statement found the file corrupt. */
  get corruption(): string | undefined {
    return this.#corruption;
  }

  markCorrupt(reason: string): void {
    if (this.#corruption !== undefined) return;
    this.#corruption = reason;
    this.#onCorrupt?.(reason);
  }

  read<T>(work: () => T): T {
    if (this.#corruption !== undefined) throw corruptStoreError(this.#path, this.#corruption);
    if (!this.#db.isOpen) {
      throw new OpenClawError("OC_ERR_INTERNAL", `memory store ${this.#path} is closed`, {
        hint: "open the store again",
      });
    }
    try {
      return work();
    } catch (error) {
      if (error instanceof OpenClawError) throw error;
      if (isCorruption(error)) {
        const reason = corruptionReason(error);
        this.markCorrupt(reason);
        throw corruptStoreError(this.#path, reason, error);
      }
      throw new OpenClawError("OC_ERR_INTERNAL", `memory store ${this.#path}: ${(error as Error).message}`, {
        hint: "retry; if it persists, check the disk and the file's permissions",
        details: { path: this.#path },
        cause: error,
      });
    }
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout) instead of deadlocking. */
  transaction<T>(work: () => T): T {
    return this.read(() => {
      this.#db.exec("BEGIN IMMEDIATE");
      try {
        const result = work();
        this.#db.exec("COMMIT");
        return result;
      } catch (error) {
        try {
          if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
        } finally {
          this.onRollback?.();
        }
        throw error;
      }
    });
  }
}
