import { write as writeAsync, writeSync } from "node:fs";
import { LineQueue } from "./line-queue.js";

const MAX_BUFFERED_BYTES = 1024 * 1024;
const MAX_WRITE_BYTES = 64 * 1024;
/** A pipe that is full (EAGAIN) is tried again this soon: its reader is slow, not gone. */
const FULL_PIPE_RETRY_MS = 20;
const FLUSH_BUDGET_MS = 250;

export interface ConsoleStreamOptions {
  maxBufferedBytes?: number;
  write?: (
    fd: number,
    data: Buffer,
    callback: (error: NodeJS.ErrnoException | null, written: number) => void,
  ) => void;
  writeSync?: (fd: number, data: Buffer) => number;
}

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));

/**
 * The console copy of the log (stdout: a terminal, journald, docker), written asynchronously
 * with a bounded buffer. A slow reader (EAGAIN) is waited for; a reader that is gone (EPIPE, or
 * any other error) ends the console copy, counted, never thrown: losing stdout must not take
 * the gateway down, and the file still has every line. At exit, `flushSync` writes what is left
 * within a budget instead of retrying forever as SonicBoom's does.
 */
export class ConsoleStream {
  private readonly queue: LineQueue;
  private busy = false;
  private inFlight = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private broken = false;
  private takenOver = false;

  constructor(
    private readonly fd = 1,
    private readonly options: ConsoleStreamOptions = {},
  ) {
    this.queue = new LineQueue(options.maxBufferedBytes ?? MAX_BUFFERED_BYTES);
  }

  get droppedLines(): number {
    return this.queue.dropped;
  }

  write(text: string): boolean {
    if (this.broken || this.takenOver) {
      this.queue.dropped++;
      return false;
    }
    const accepted = this.queue.push(text);
    if (!this.busy && !this.retryTimer) this.pump();
    return accepted;
  }

  flushSync(budgetMs = FLUSH_BUDGET_MS): void {
    if (this.broken || this.queue.length === 0) return;
    const skip = this.inFlight;
    if (skip > 0) this.takenOver = true;
    const data = this.queue.peek(Number.POSITIVE_INFINITY).subarray(skip);
    const write = this.options.writeSync ?? writeSync;
    const deadline = Date.now() + budgetMs;
    let written = 0;
    while (written < data.length && Date.now() < deadline) {
      try {
        written += write(this.fd, data.subarray(written));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") break;
        Atomics.wait(sleepBuffer, 0, 0, 5);
      }
    }
    if (skip === 0) this.queue.consume(written);
  }

  private pump(): void {
    if (this.queue.length === 0 || this.takenOver) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const chunk = this.queue.peek(MAX_WRITE_BYTES);
    this.inFlight = chunk.length;
    const write =
      this.options.write ?? ((fd, data, callback) => writeAsync(fd, data, 0, data.length, null, callback));
    write(this.fd, chunk, (error, written) => {
      this.inFlight = 0;
      if (this.takenOver) return;
      if (error) {
        this.busy = false;
        if (error.code === "EAGAIN") {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.pump();
          }, FULL_PIPE_RETRY_MS);
          this.retryTimer.unref();
          return;
        }
        this.broken = true;
        this.queue.clear();
        return;
      }
      this.queue.consume(written);
      this.pump();
    });
  }
}
