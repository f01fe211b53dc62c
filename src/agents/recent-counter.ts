/** How far back the "recent" counts of the status endpoints look (turns, rejections, restarts). */
export const RECENT_WINDOW_MINUTES = 15;
export const RECENT_WINDOW_MS = RECENT_WINDOW_MINUTES * 60_000;

/**
 * Counts events over a sliding window in one-minute buckets: cheap enough for every turn, and
 * old bursts age out, so "frequent 503s" means now, not once since start. `now` is any
 * millisecond scale (the wall clock, or a monotonic TurnClock): only minutes of it matter.
 */
export class RecentCounter {
  private readonly buckets: number[];
  private readonly minutes: number[];

  constructor(private readonly windowMinutes = RECENT_WINDOW_MINUTES) {
    this.buckets = new Array(windowMinutes).fill(0);
    this.minutes = new Array(windowMinutes).fill(-1);
  }

  add(now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    const slot = minute % this.windowMinutes;
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] as number) + 1;
  }

  /** Events in the last `windowMinutes` minutes (the current one included). */
  total(now = Date.now()): number {
    const minute = Math.floor(now / 60_000);
    let sum = 0;
    for (let slot = 0; slot < this.windowMinutes; slot++) {
      const at = this.minutes[slot] as number;
      if (at > minute - this.windowMinutes && at <= minute) sum += this.buckets[slot] as number;
    }
    return sum;
  }
}
