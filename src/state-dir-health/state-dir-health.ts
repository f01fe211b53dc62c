import { stateWriteError } from "./state-write-error.js";
import { type StorageFailure, type StorageFailureCode, storageFailureOf } from "./write-failure.js";
import { probeStateDirWrite } from "./write-probe.js";

/** What writes to the state dir: each reports its outcomes here. */
export type StateWriter = "transcripts" | "usage" | "logs" | "runtime-state" | "memory" | "channels" | "cron";

/** The two calls a writer makes; the logger and the stores see only this. */
export interface WriteOutcomeReporter {
  /** Reports a failed write; returns the storage failure it was, or undefined for other errors (not counted). */
  writeFailed(writer: StateWriter, error: unknown, path?: string): StorageFailure | undefined;
  writeSucceeded(writer: StateWriter): void;
}

export interface StateDirHealthSnapshot {
  path: string;
  writable: boolean;
  /** While writes fail: since when (ISO), the errno, for people, who saw it last and on which file. */
  failingSince?: string;
  code?: StorageFailureCode;
  reason?: string;
  writer?: StateWriter;
  file?: string;
  /** Writers whose last write failed. */
  failingWriters: StateWriter[];
  lastProbeAt?: string;
  /** When writes last came back (ISO), and after how long. */
  recoveredAt?: string;
  lastOutageMs?: number;
  /** Storage failures reported since the gateway started. */
  failures: number;
}

export interface StateDirHealthOptions {
  /** How often, while writes fail, a probe write checks whether they work again. */
  probeIntervalMs?: number;
  /** The probe itself (tests pass one that fails on demand). */
  probe?: (stateDir: string) => Promise<void>;
  now?: () => number;
  /** Called when the state dir becomes unwritable and when it recovers (for a log line). */
  onChange?: (snapshot: StateDirHealthSnapshot) => void;
}

export const DEFAULT_PROBE_INTERVAL_MS = 2000;

interface WriterFailure {
  failure: StorageFailure;
  file: string | undefined;
  at: number;
}

/**
 * Whether the state dir takes writes now. Every writer reports here; one storage failure makes
 * it unwritable (readiness goes 503, turns are refused with 507 before they cost a model call),
 * and it comes back by itself: a writer's next success clears that writer, and while anything
 * fails a probe write every few seconds clears them all once the filesystem takes data again.
 */
export class StateDirHealth implements WriteOutcomeReporter {
  private readonly failing = new Map<StateWriter, WriterFailure>();
  private latest: (WriterFailure & { writer: StateWriter }) | undefined;
  private since: number | undefined;
  private recoveredAt: number | undefined;
  private lastOutageMs: number | undefined;
  private lastProbeAt: number | undefined;
  private failures = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;
  private readonly probeIntervalMs: number;
  private readonly probe: (stateDir: string) => Promise<void>;
  private readonly now: () => number;

  constructor(
    readonly stateDir: string,
    private readonly options: StateDirHealthOptions = {},
  ) {
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    this.probe = options.probe ?? probeStateDirWrite;
    this.now = options.now ?? Date.now;
  }

  get writable(): boolean {
    return this.failing.size === 0;
  }

  writeFailed(writer: StateWriter, error: unknown, path?: string): StorageFailure | undefined {
    const failure = storageFailureOf(error);
    if (!failure) return undefined;
    const entry = { failure, file: path, at: this.now() };
    const wasWritable = this.writable;
    this.failing.set(writer, entry);
    this.latest = { ...entry, writer };
    this.failures++;
    if (wasWritable) {
      this.since = entry.at;
      this.scheduleProbe();
      this.options.onChange?.(this.snapshot());
    }
    return failure;
  }

  writeSucceeded(writer: StateWriter): void {
    if (!this.failing.delete(writer)) return;
    if (this.writable) this.recovered();
  }

  /** Throws the error a turn gets while the state dir refuses writes (nothing could be saved). */
  assertWritable(): void {
    const latest = this.latest;
    if (this.writable || !latest) return;
    throw stateWriteError(latest.failure, {
      stateDir: this.stateDir,
      ...(latest.file ? { path: latest.file } : {}),
      retryAfterMs: this.probeIntervalMs,
      failingSince: new Date(this.since ?? latest.at).toISOString(),
    });
  }

  snapshot(): StateDirHealthSnapshot {
    const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
    const latest = this.writable ? undefined : this.latest;
    return {
      path: this.stateDir,
      writable: this.writable,
      ...(latest
        ? {
            failingSince: iso(this.since),
            code: latest.failure.code,
            reason: latest.failure.reason,
            writer: latest.writer,
            ...(latest.file ? { file: latest.file } : {}),
          }
        : {}),
      failingWriters: [...this.failing.keys()],
      ...(this.lastProbeAt !== undefined ? { lastProbeAt: iso(this.lastProbeAt) } : {}),
      ...(this.recoveredAt !== undefined
        ? { recoveredAt: iso(this.recoveredAt), lastOutageMs: this.lastOutageMs }
        : {}),
      failures: this.failures,
    };
  }

  /** Stops the probe (the gateway's shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private recovered(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.recoveredAt = this.now();
    this.lastOutageMs = this.since === undefined ? undefined : this.recoveredAt - this.since;
    this.since = undefined;
    this.options.onChange?.(this.snapshot());
  }

  private scheduleProbe(): void {
    if (this.closed || this.probeTimer || this.probing) return;
    // Unref'd: a probe never keeps a stopping process alive.
    this.probeTimer = setTimeout(() => void this.runProbe(), this.probeIntervalMs);
    this.probeTimer.unref();
  }

  private async runProbe(): Promise<void> {
    this.probeTimer = undefined;
    if (this.closed || this.writable) return;
    this.probing = true;
    try {
      await this.probe(this.stateDir);
      this.lastProbeAt = this.now();
      // The filesystem takes new data again: every writer will find out on its next write.
      this.failing.clear();
      this.recovered();
    } catch (error) {
      this.lastProbeAt = this.now();
      const failure = storageFailureOf(error);
      if (failure && this.latest) this.latest = { ...this.latest, failure };
    } finally {
      this.probing = false;
    }
    if (!this.writable) this.scheduleProbe();
  }
}
