import type { RetentionSweep } from "./session-retention.js";

const MB = 1024 * 1024;

export function megabytes(bytes: number): number {
  return Math.round((bytes / MB) * 100) / 100;
}

/** A sweep in the units status shows (`/__openclaw__/status`, `openclaw status`, doctor). */
export interface RetentionSummary {
  at: string;
  removedFiles: number;
  removedMb: number;
  removed?: RetentionSweep["removed"];
  keptFiles: number;
  keptMb: number;
  skippedBusy: number;
  overLimit: string[];
  error?: string;
}

export function summarizeRetention(sweep: RetentionSweep | undefined): RetentionSummary | null {
  if (!sweep) return null;
  return {
    at: sweep.at,
    removedFiles: sweep.removedFiles,
    removedMb: megabytes(sweep.removedBytes),
    removed: sweep.removed,
    keptFiles: sweep.keptFiles,
    keptMb: megabytes(sweep.keptBytes),
    skippedBusy: sweep.skippedBusy,
    overLimit: sweep.overLimit,
    ...(sweep.error ? { error: sweep.error } : {}),
  };
}

/** What nothing removed looks like: a sweep that could not run, or found no transcripts. */
export function emptySweep(now: number, error?: string): RetentionSweep {
  return {
    at: new Date(now).toISOString(),
    removedFiles: 0,
    removedBytes: 0,
    removed: [],
    keptFiles: 0,
    keptBytes: 0,
    skippedBusy: 0,
    overLimit: [],
    ...(error !== undefined ? { error } : {}),
  };
}
