/**
 * Write failures that come from the state dir's filesystem rather than from the gateway: no
 * space, no quota, a read-only remount, a failing device. They are a state the gateway is in
 * (it recovers when the operator frees space), not a bug in one request.
 */
export type StorageFailureCode = "ENOSPC" | "EDQUOT" | "EROFS" | "EIO" | "SQLITE_FULL";

export interface StorageFailure {
  code: StorageFailureCode;
  /** For people: "no space left on device". */
  reason: string;
  /** Whether freeing space fixes it (ENOSPC, EDQUOT, SQLITE_FULL), as opposed to a remount or a disk. */
  spaceRelated: boolean;
}

const REASONS: Record<StorageFailureCode, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EIO: "input/output error",
  SQLITE_FULL: "database or disk is full",
};

/** SQLite's result code for a full disk (node:sqlite reports it as `errcode`). */
const SQLITE_FULL_ERRCODE = 13;

/**
 * The storage failure behind `error`, if it is one; the `cause` chain is followed, since a
 * typed error (OC_ERR_MEMORY, say) may wrap the errno that matters.
 */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = codeOf(current as { code?: unknown; errcode?: unknown; message?: unknown });
    if (code) return { code, reason: REASONS[code], spaceRelated: code !== "EROFS" && code !== "EIO" };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function codeOf(error: {
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
}): StorageFailureCode | undefined {
  if (typeof error.code === "string" && error.code in REASONS) return error.code as StorageFailureCode;
  // node:sqlite: { code: "ERR_SQLITE_ERROR", errcode: 13, errstr: "database or disk is full" }.
  if (error.errcode === SQLITE_FULL_ERRCODE) return "SQLITE_FULL";
  return undefined;
}
