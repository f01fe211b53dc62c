import { chmodSync, closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import { type AppendHandle, repairTornTail, repairTornTailSync } from "../append-only/index.js";
import { storageFailureOf, type WriteOutcomeReporter } from "../state-dir-health/index.js";
import { LineQueue } from "./line-queue.js";
import { DEFAULT_ROTATION, type RotationLimits, rotateLogFiles } from "./log-rotation.js";

/** Lines held while the disk is slow or refuses writes: ~5000 typical lines; past it, lines are dropped. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** One write's most bytes: a burst goes out in a few writes, none of which holds the pool for long. */
const MAX_WRITE_BYTES = 64 * 1024;
/** What `flushSync` may spend at exit: a slow disk costs that much, a failing one nothing. */
const FLUSH_BUDGET_MS = 500;

/** The open log file: node's FileHandle (opened "a+"), or a test's that fails on demand. */
export interface LogFileHandle extends AppendHandle {
  readonly fd: number;
}

export interface LogFileOutage {
  /** The errno of the first failure. */
  code: string;
  failedForMs: number;
  /** Lines that did not fit the buffer while the file refused writes. */
  droppedLines: number;
}

export interface RotatingFileOptions {
  maxBufferedBytes?: number;
  /** First and longest wait before a failed write is tried again (doubling in between). */
  retryMs?: { first: number; max: number };
  open?: (path: string, mode: number) => Promise<LogFileHandle>;
  writeSync?: (fd: number, data: Buffer) => number;
  /** The file takes writes again after an outage: the logger says so, with what was lost. */
  onRecovered?: (outage: LogFileOutage) => void;
  /** A torn last line (a kill mid-write) was cut before the first write. */
  onRepaired?: (cutBytes: number) => void;
}

const openForAppend = (path: string, mode: number) => open(path, "a+", mode);

/**
 * A size-rotated log file (see log-rotation.ts), written asynchronously in the order lines come,
 * one write at a time.
 *
 * A write the disk refuses (ENOSPC, EDQUOT, EIO, EROFS) never throws and never blocks: lines
 * wait in a bounded buffer (past it they are dropped and counted), the write is tried again
 * with a growing back-off, and the state dir's health is told both ways. A short write before
 * a failure leaves a partial line: before the next write the tail is cut back to the last whole
 * line and that line goes out again whole, so the file never holds a glued or broken line.
 */
export class RotatingFile {
  private readonly queue: LineQueue;
  private handle: LogFileHandle | undefined;
  private size = 0;
  private limits: RotationLimits;
  /** The file's end is unverified (just opened, or a write failed): checked before the next write. */
  private checkTail = true;
  private pumping: Promise<void> | undefined;
  private busy = false;
  /** Bytes of the queue's front in a write submitted and not yet answered. */
  private inFlight = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private outage: { error: unknown; code: string; since: number; droppedBefore: number } | undefined;
  private ended = false;
  /** flushSync wrote past a write in flight: the pump must not write again. */
  private takenOver = false;
  private reporter: WriteOutcomeReporter | undefined;

  constructor(
    readonly path: string,
    limits: RotationLimits = DEFAULT_ROTATION,
    private readonly options: RotatingFileOptions = {},
  ) {
    this.limits = limits;
    this.queue = new LineQueue(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.retryDelay = options.retryMs?.first ?? 250;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.touch();
    } catch (error) {
      // A full or read-only disk at start is an outage like any other: the first write retries.
      if (!storageFailureOf(error)) throw error;
    }
  }

  /** Lines dropped since the start: the buffer was full, or the file was ended. */
  get droppedLines(): number {
    return this.queue.dropped;
  }

  /** Whether the last write failed (and lines wait or are being dropped). */
  get failing(): boolean {
    return this.outage !== undefined;
  }

  /** Where failures and recoveries are reported: the state dir's health. */
  reportTo(reporter: WriteOutcomeReporter): void {
    this.reporter = reporter;
    if (this.outage) reporter.writeFailed("logs", this.outage.error, this.path);
  }

  setLimits(limits: RotationLimits): void {
    this.limits = limits;
  }

  /** Never throws, never waits: a line that does not fit the buffer is counted and dropped. */
  write(line: string): boolean {
    if (this.ended) {
      this.queue.dropped++;
      return false;
    }
    const accepted = this.queue.push(line);
    this.kick();
    return accepted;
  }

  /**
   * At exit: writes what is queued synchronously, within a budget, and gives up at the first
   * error (never retries; SonicBoom's own flushSync loops forever on ENOSPC). A file that is
   * failing, or not opened yet, is not tried. With a write still in flight the rest goes after
   * it, and the file takes no more lines, since the pool's write may land after these.
   */
  flushSync(budgetMs = FLUSH_BUDGET_MS): void {
    const handle = this.handle;
    if (handle && (this.outage || this.checkTail)) {
      // Exiting while the disk refuses writes: the part of a line a short write left would stay
      // torn for good, since no retry will complete it. Truncating needs no space.
      repairTornTailSync(handle.fd);
      return;
    }
    if (!handle || this.queue.length === 0) return;
    const skip = this.inFlight;
    if (skip > 0) {
      this.ended = true;
      this.takenOver = true;
    }
    const data = this.queue.peek(Number.POSITIVE_INFINITY).subarray(skip);
    const write = this.options.writeSync ?? writeSync;
    const deadline = Date.now() + budgetMs;
    let written = 0;
    while (written < data.length && Date.now() < deadline) {
      try {
        written += write(handle.fd, data.subarray(written));
      } catch {
        break;
      }
    }
    if (written < data.length && written > 0) {
      // A short write at exit (a disk filling up) would leave a torn last line for good: cut
      // back to the last whole line, which needs no space.
      const whole = data.subarray(0, written).lastIndexOf(NEWLINE) + 1;
      try {
        ftruncateSync(handle.fd, this.size + whole);
        written = whole;
      } catch {
        // The next start repairs the tail (repairTornTail) when this cannot.
      }
    }
    this.size += written;
    if (skip === 0) this.queue.consume(written);
  }

  /** Writes out what is queued (unless the file is failing), then closes it. */
  async end(): Promise<void> {
    this.ended = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.outage) await this.pumping;
    const handle = this.handle;
    this.handle = undefined;
    // Ended while the disk refused writes: a short write may have left part of a line, which no
    // retry will complete now. Truncating needs no space.
    if (handle && (this.outage || this.checkTail)) {
      await handle
        .stat()
        .then(({ size }) => repairTornTail(handle, size))
        .catch(() => undefined);
    }
    await handle?.close().catch(() => undefined);
  }

  /** Creates the file now (so it exists, and can be rotated, from the first line on), mode 0600. */
  private touch(): void {
    const fd = openSync(this.path, "a", 0o600);
    try {
      this.size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    // A file created before this build may carry a looser mode; logs hold session metadata.
    chmodSync(this.path, 0o600);
  }

  private kick(): void {
    if (this.busy || this.retryTimer || this.takenOver) return;
    this.pumping = this.pump();
  }

  /** Writes until the queue is empty or a write fails; one pump at a time keeps lines in order. */
  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.takenOver) await this.writeNext();
    } catch (error) {
      this.failed(error);
    } finally {
      this.inFlight = 0;
      this.busy = false;
    }
  }

  private async writeNext(): Promise<void> {
    let handle = await this.opened();
    if (this.checkTail) {
      const started = this.queue.firstLineStarted;
      const { size } = await handle.stat();
      const cut = await repairTornTail(handle, size);
      this.size = size - cut;
      this.checkTail = false;
      // A partial line of ours was cut (or never reached the file): it goes out whole again.
      this.queue.restartFirstLine();
      if (cut > 0 && !started) this.options.onRepaired?.(cut);
    }
    if (
      !this.queue.firstLineStarted &&
      this.size > 0 &&
      this.size + this.queue.firstLineBytes() > this.limits.maxBytes
    ) {
      await this.rotate();
      handle = await this.opened();
    }
    if (this.queue.length === 0) return; // flushSync wrote it all meanwhile
    const room = Math.max(this.limits.maxBytes - this.size, 0);
    const chunk = this.queue.peek(Math.min(MAX_WRITE_BYTES, room));
    this.inFlight = chunk.length;
    const { bytesWritten } = await handle.write(chunk, 0, chunk.length);
    this.inFlight = 0;
    if (this.takenOver) return;
    this.queue.consume(bytesWritten);
    this.size += bytesWritten;
    // A short write is what a nearly full disk does just before ENOSPC: not a recovery yet.
    if (this.outage && bytesWritten === chunk.length) this.recovered();
  }

  private async opened(): Promise<LogFileHandle> {
    if (this.handle) return this.handle;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.handle = await (this.options.open ?? openForAppend)(this.path, 0o600);
    this.checkTail = true;
    return this.handle;
  }

  private async rotate(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    rotateLogFiles(this.path, this.limits.maxFiles);
    this.size = 0;
  }

  private failed(error: unknown): void {
    this.inFlight = 0;
    this.checkTail = true;
    this.outage ??= {
      error,
      code: (error as NodeJS.ErrnoException).code ?? "unknown",
      since: Date.now(),
      droppedBefore: this.queue.dropped,
    };
    this.reporter?.writeFailed("logs", error, this.path);
    if (this.ended) {
      this.queue.clear();
      return;
    }
    const max = this.options.retryMs?.max ?? 5000;
    // Unref'd: a retry never keeps a stopping process alive.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, max);
  }

  private recovered(): void {
    const outage = this.outage;
    if (!outage) return;
    this.outage = undefined;
    this.retryDelay = this.options.retryMs?.first ?? 250;
    this.reporter?.writeSucceeded("logs");
    this.options.onRecovered?.({
      code: outage.code,
      failedForMs: Date.now() - outage.since,
      droppedLines: this.queue.dropped - outage.droppedBefore,
    });
  }
}

const NEWLINE = 0x0a;
