import { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";

/** SQLite's primary result codes for a damaged file (extended codes keep them in the low byte). */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** Whether node:sqlite threw because the file is damaged, not because of the statement. */
export function isCorruption(error: unknown): boolean {
  if (error instanceof OpenClawError) return error.code === "OC_ERR_MEMORY_CORRUPT";
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code !== "number") return false;
  const primary = code & 0xff;
  return primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB;
}

/**
 * `PRAGMA quick_check`: every page, record and index entry is well formed (not that indexes
 * match their tables: that is the O(N log N) integrity_check, too slow for every open). The
 * first problem SQLite names, or undefined when the file is sound.
 */
export function integrityProblem(db: DatabaseSync): string | undefined {
  const rows = db.prepare("PRAGMA quick_check(1)").all() as { quick_check: string }[];
  const first = rows[0]?.quick_check;
  if (first === undefined || first === "ok") return undefined;
  // "*** in database main ***\nTree 3 page 27: btreeInitPage() returns error code 11"
  const detail = first.replace(/^\*\*\* in database \w+ \*\*\*\s*/, "").replace(/\s*\n\s*/g, "; ");
  return `PRAGMA quick_check found damage: ${detail}`;
}

export function corruptionReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The store's own account of the damage; the memory service adds which agent it belongs to. */
export function corruptStoreError(path: string, reason: string, cause?: unknown): OpenClawError {
  return new OpenClawError("OC_ERR_MEMORY_CORRUPT", `memory store ${path} is corrupt: ${reason}`, {
    hint: "run `openclaw memory repair <agent>`: it keeps the damaged file aside and rebuilds the store",
    details: { path, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * quick_check of a store file nobody has open (doctor, with the gateway stopped): SQLite's
 * account of the damage, or undefined when the file is sound or cannot be looked at for another
 * reason (then the gateway's own open says why).
 */
export function inspectStoreFile(path: string): string | undefined {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    return integrityProblem(db);
  } catch (error) {
    return isCorruption(error) ? corruptionReason(error) : undefined;
  } finally {
    db?.close();
  }
}
