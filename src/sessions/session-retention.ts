import type { SessionsConfig } from "../config/index.js";
import type { TranscriptRepository } from "../storage/transcript-repository.js";
import { emptySweep } from "./retention-summary.js";

const DAY_MS = 24 * 60 * 60_000;
const MB = 1024 * 1024;
/** Often enough that a day's request file goes within the hour it is due; cheap (one readdir). */
export const RETENTION_INTERVAL_MS = 60 * 60_000;
/** Names of removed files kept in a sweep's report: enough to recognise, bounded for status. */
const MAX_LISTED_FILES = 20;

export interface RetentionPolicy {
  /** Session transcripts (one per key): nothing is deleted unless the operator says so. */
  sessions: { maxAgeDays?: number | undefined; maxTotalMb?: number | undefined };
  /** Stateless request transcripts: always bounded. */
  requests: { maxAgeDays: number; maxTotalMb: number };
}

export function retentionPolicyOf(sessions: SessionsConfig): RetentionPolicy {
  const { maxAgeDays, maxTotalMb, requests } = sessions.retention;
  return { sessions: { maxAgeDays, maxTotalMb }, requests };
}

/** What a sweep works on: a TranscriptRepository, or the TranscriptStore over one. */
export type TranscriptFiles = Pick<TranscriptRepository, "listStored" | "removeIfIdle">;

export interface RetentionSweep {
  /** When it ran (ISO). */
  at: string;
  removedFiles: number;
  removedBytes: number;
  /** The first removed files, oldest first, with why. */
  removed: { file: string; bytes: number; reason: "age" | "size" }[];
  keptFiles: number;
  keptBytes: number;
  /** Due for removal but being written: left for the next sweep. */
  skippedBusy: number;
  /** Kinds still above their size bound (today's request file is never removed). */
  overLimit: ("sessions" | "requests")[];
  error?: string;
}

interface Candidate {
  name: string;
  bytes: number;
  /** Order of removal: request files by day, sessions by last write. */
  age: number;
  /** Today's (or a future-dated) request file: written now, never removed. */
  protected: boolean;
}

async function listTranscripts(files: TranscriptFiles, today: string) {
  const sessions: Candidate[] = [];
  const requests: Candidate[] = [];
  for (const stored of await files.listStored()) {
    const { name, bytes } = stored;
    if (stored.kind === "requests") {
      requests.push({ name, bytes, age: Date.parse(stored.day), protected: stored.day >= today });
    } else {
      sessions.push({ name, bytes, age: stored.lastWrittenAt, protected: false });
    }
  }
  return { sessions, requests };
}

/**
 * Deletes the transcripts the policy no longer keeps: by age, then the oldest until the rest fit
 * the size bound. Never today's request file, never a file being written.
 */
export async function sweepTranscripts(
  files: TranscriptFiles,
  policy: RetentionPolicy,
  now: number,
): Promise<RetentionSweep> {
  const today = new Date(now).toISOString().slice(0, 10);
  const sweep: RetentionSweep = emptySweep(now);
  const { sessions, requests } = await listTranscripts(files, today);
  const remove = async (candidate: Candidate, reason: "age" | "size"): Promise<boolean> => {
    if (candidate.protected) return false;
    if (!(await files.removeIfIdle(candidate.name))) {
      sweep.skippedBusy++;
      return false;
    }
    sweep.removedFiles++;
    sweep.removedBytes += candidate.bytes;
    if (sweep.removed.length < MAX_LISTED_FILES)
      sweep.removed.push({ file: candidate.name, bytes: candidate.bytes, reason });
    return true;
  };
  const apply = async (
    kind: "sessions" | "requests",
    candidates: Candidate[],
    isExpired: (candidate: Candidate) => boolean,
    maxTotalMb: number | undefined,
  ) => {
    const kept: Candidate[] = [];
    for (const candidate of candidates.sort((a, b) => a.age - b.age)) {
      if (!(isExpired(candidate) && (await remove(candidate, "age")))) kept.push(candidate);
    }
    let total = kept.reduce((sum, candidate) => sum + candidate.bytes, 0);
    if (maxTotalMb !== undefined) {
      const limit = maxTotalMb * MB;
      for (const candidate of [...kept]) {
        if (total <= limit) break;
        if (await remove(candidate, "size")) {
          total -= candidate.bytes;
          kept.splice(kept.indexOf(candidate), 1);
        }
      }
      if (total > limit) sweep.overLimit.push(kind);
    }
    sweep.keptFiles += kept.length;
    sweep.keptBytes += total;
  };
  // A day's file is due once the newest maxAgeDays days (today's included) no longer include it.
  const oldestKeptDay = Date.parse(today) - (policy.requests.maxAgeDays - 1) * DAY_MS;
  await apply("requests", requests, (file) => file.age < oldestKeptDay, policy.requests.maxTotalMb);
  const sessionAgeDays = policy.sessions.maxAgeDays;
  await apply(
    "sessions",
    sessions,
    (file) => sessionAgeDays !== undefined && now - file.age > sessionAgeDays * DAY_MS,
    policy.sessions.maxTotalMb,
  );
  return sweep;
}

export interface SessionRetentionOptions {
  /** Read at each sweep, so that a config reload applies at the next one. */
  policy: () => RetentionPolicy;
  intervalMs?: number;
  /** Epoch ms: request files are named by UTC date. */
  now?: () => number;
  /** Runs `callback` every `ms`, returning the stop; unref'd so it never keeps a process alive. */
  every?: (callback: () => void, ms: number) => () => void;
  onSweep?: (sweep: RetentionSweep) => void;
}

const unrefInterval = (callback: () => void, ms: number) => {
  const timer = setInterval(callback, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** Sweeps the transcripts at start and every `intervalMs` until stopped; one sweep at a time. */
export class SessionRetention {
  private stopTimer: (() => void) | undefined;
  private running: Promise<RetentionSweep> | undefined;
  private last: RetentionSweep | undefined;

  constructor(
    private readonly files: TranscriptFiles,
    private readonly options: SessionRetentionOptions,
  ) {}

  /** The first sweep runs now, in the background; the next ones on the interval. */
  start(): void {
    if (this.stopTimer) return;
    const every = this.options.every ?? unrefInterval;
    this.stopTimer = every(() => void this.sweepNow(), this.options.intervalMs ?? RETENTION_INTERVAL_MS);
    void this.sweepNow();
  }

  /** Runs a sweep now, or joins the one running. A failure is reported in the sweep, not thrown. */
  sweepNow(): Promise<RetentionSweep> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** What the last sweep did, for status; undefined before the first one ends. */
  lastSweep(): RetentionSweep | undefined {
    return this.last;
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.stopTimer?.();
    this.stopTimer = undefined;
    await this.running;
  }

  private async sweep(): Promise<RetentionSweep> {
    const now = this.options.now?.() ?? Date.now();
    let result: RetentionSweep;
    try {
      result = await sweepTranscripts(this.files, this.options.policy(), now);
    } catch (error) {
      result = emptySweep(now, (error as Error).message);
    }
    this.last = result;
    this.options.onSweep?.(result);
    return result;
  }
}
