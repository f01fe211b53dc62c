/**
 * OpenClaw's gateway paces live text at one frame per 75 ms (`LIVE_TEXT_PACING_MS` in its
 * server-chat): fast enough to read as streaming, slow enough that a model emitting a token per
 * millisecond costs a frame per 75 ms, not one per token.
 */
export const DELTA_INTERVAL_MS = 75;

/** Time as the coalescer sees it: the real clock, or a test's. */
export interface DeltaClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: DeltaClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Merges a run's text chunks into at most one delta per interval. The first chunk goes out at
 * once (no added latency to the first token); later chunks wait for the interval to pass since
 * the previous delta and leave together. `flush` sends what is waiting now: the run calls it
 * before anything that must follow the text (a tool call, the final answer).
 */
export class DeltaCoalescer {
  private pending = "";
  private lastSentAt: number | undefined;
  private timer: unknown;

  constructor(
    private readonly send: (deltaText: string) => void,
    private readonly clock: DeltaClock = SYSTEM_CLOCK,
    private readonly intervalMs = DELTA_INTERVAL_MS,
  ) {}

  push(text: string): void {
    if (text === "") return;
    this.pending += text;
    if (this.timer !== undefined) return;
    const wait = this.lastSentAt === undefined ? 0 : this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    this.lastSentAt = this.clock.now();
    this.send(text);
  }
}
