import { OpenClawError } from "../errors.js";
import { type StorageFailure, storageFailureOf } from "./write-failure.js";

export interface StateWriteContext {
  /** The state dir: what the operator frees space on. */
  stateDir: string;
  /** The file the write was for, when there was one. */
  path?: string;
  /** How long until a retry has a chance (the health probe's interval). */
  retryAfterMs?: number;
  /**
   * Refused before trying: the state dir was already failing (since then), so the request was
   * not run at all. The path is then where the last failure was seen, not this request's file.
   */
  failingSince?: string;
}

/**
 * The typed error a request gets when the state dir refused its write: 507 OC_ERR_DISK_FULL
 * when space is the problem, 503 OC_ERR_STATE_UNWRITABLE otherwise. Its message says that
 * nothing was saved, so a client knows a retry cannot duplicate anything.
 */
export function stateWriteError(failure: StorageFailure, context: StateWriteContext, cause?: unknown) {
  const where = context.failingSince
    ? `since ${context.failingSince}, last seen writing ${context.path ?? context.stateDir}; the request was refused before it ran`
    : `writing ${context.path ?? context.stateDir}`;
  const details = {
    stateDir: context.stateDir,
    ...(context.path ? { path: context.path } : {}),
    errno: failure.code,
    retryAfterMs: context.retryAfterMs ?? 2000,
  };
  if (failure.spaceRelated) {
    return new OpenClawError(
      "OC_ERR_DISK_FULL",
      `the state dir's filesystem is full (${failure.code}: ${failure.reason}, ${where}); nothing was saved`,
      {
        hint: `free space on the filesystem holding ${context.stateDir} (\`df -h ${context.stateDir}\`), then retry; \`openclaw doctor\` shows what the gateway sees`,
        details,
        cause,
      },
    );
  }
  return new OpenClawError(
    "OC_ERR_STATE_UNWRITABLE",
    `the state dir refuses writes (${failure.code}: ${failure.reason}, ${where}); nothing was saved`,
    {
      hint: `check the filesystem holding ${context.stateDir} (mounted read-only? a failing disk: \`dmesg\`), then retry; \`openclaw doctor\` shows what the gateway sees`,
      details,
      cause,
    },
  );
}

/** `error` as the typed state-write error when it is a storage failure; otherwise as it is. */
export function asStateWriteError(error: unknown, context: StateWriteContext): unknown {
  if (
    error instanceof OpenClawError &&
    (error.code === "OC_ERR_DISK_FULL" || error.code === "OC_ERR_STATE_UNWRITABLE")
  )
    return error;
  const failure = storageFailureOf(error);
  return failure ? stateWriteError(failure, context, error) : error;
}
