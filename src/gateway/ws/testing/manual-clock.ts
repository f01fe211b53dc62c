import type { DeltaClock } from "../delta-coalescer.js";

/** A clock that moves only when the test says so, firing the timers that fall due. */
export class ManualClock implements DeltaClock {
  private time = 0;
  private timers: { at: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = this.nextHandle++;
    this.timers.push({ at: this.time + delayMs, callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  advance(milliseconds: number): void {
    const until = this.time + milliseconds;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= until)
        .sort((left, right) => left.at - right.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
}
