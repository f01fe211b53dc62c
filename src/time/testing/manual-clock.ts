import type { Clock } from "../clock.js";

interface ManualTimer {
  at: number;
  callback: () => unknown;
}

/**
 * A Clock that moves only when told (`advance`). Timers fire in order, each at its own time; a
 * timer whose callback returns a promise (a watcher's reload) is waited for before the next, and
 * then `advance` must be awaited; otherwise it fires everything before it returns.
 */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Set<ManualTimer>();
  /** Every timer ever set, cancelled or not: a watcher sets one when a file event reaches it. */
  timersSet = 0;

  now(): number {
    return this.time;
  }

  setTimer(callback: () => unknown, delayMs: number): () => void {
    const timer = { at: this.time + Math.max(0, delayMs), callback };
    this.timers.add(timer);
    this.timersSet += 1;
    return () => this.timers.delete(timer);
  }

  /** Timers set and neither fired nor cancelled: a test can check that nothing was left behind. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(milliseconds: number): Promise<void> {
    const until = this.time + milliseconds;
    const fire = (): Promise<void> | undefined => {
      for (;;) {
        const due = [...this.timers].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) {
          this.time = until;
          return undefined;
        }
        this.timers.delete(due);
        this.time = due.at;
        const result = due.callback();
        if (result instanceof Promise) return result.then(() => fire());
      }
    };
    return fire() ?? Promise.resolve();
  }
}
