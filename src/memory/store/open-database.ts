import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { OpenClawError } from "../../errors.js";
import { corruptionReason, corruptStoreError, integrityProblem, isCorruption } from "./corruption.js";
import { configureConnection, migrate } from "./schema.js";

/**
 * Opens (creating if needed) a memory file: private permissions, sqlite-vec loaded when the
 * platform has it, durability pragmas set, integrity checked, schema migrated to the current
 * version. A damaged file is refused here with OC_ERR_MEMORY_CORRUPT: SQLite opens one happily
 * and keeps appending to it, while searches that touch the damaged pages fail, so without the
 * check the damage shows only as one tool failing now and then.
 */
export function openMemoryDatabase(path: string): { db: DatabaseSync; vectorExtension: boolean } {
  createPrivateFile(path);
  let db: DatabaseSync;
  try {
    // defensive: no SQL can corrupt the file on purpose (writable_schema, direct shadow-table writes).
    db = new DatabaseSync(path, { allowExtension: true, defensive: true });
  } catch (error) {
    throw openFailure(path, error);
  }
  try {
    const vectorExtension = loadVectorExtension(db);
    configureConnection(db);
    const problem = integrityProblem(db);
    if (problem) throw corruptStoreError(path, problem);
    migrate(db, path);
    return { db, vectorExtension };
  } catch (error) {
    db.close();
    if (isCorruption(error) && !(error instanceof OpenClawError)) {
      throw corruptStoreError(path, corruptionReason(error), error);
    }
    throw openFailure(path, error);
  }
}

/** Memories are private: the file (and, following it, SQLite's -wal and -shm files) is owner-only. */
function createPrivateFile(path: string): void {
  if (path === ":memory:" || path === "") return;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw openFailure(path, error);
  }
}

/** False when the platform has no sqlite-vec binary: memory still works, keyword-only. */
function loadVectorExtension(db: DatabaseSync): boolean {
  try {
    db.loadExtension(sqliteVec.getLoadablePath());
    return true;
  } catch {
    return false;
  } finally {
    // Nothing else may ever be loaded into this connection.
    db.enableLoadExtension(false);
  }
}

function openFailure(path: string, error: unknown): OpenClawError {
  if (error instanceof OpenClawError) return error;
  return new OpenClawError(
    "OC_ERR_INTERNAL",
    `cannot open memory store ${path}: ${(error as Error).message}`,
    {
      hint: "check that the state directory is writable and the file is a memory store that is not corrupt",
      details: { path },
      cause: error,
    },
  );
}
