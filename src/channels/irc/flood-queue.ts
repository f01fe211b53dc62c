/**
 * IRC servers disconnect a client that sends too fast ("Excess Flood"), so every line an
 * account sends goes through one token bucket: `burst` lines at once, then one per
 * `intervalMs`, in the order they were queued, whatever conversation they are for.
 */
export interface FloodControl {
  burst: number;
  intervalMs: number;
}

interface QueuedLine {
  write: () => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class FloodQueue {
  readonly #burst: number;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #queue: QueuedLine[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing = false;

  constructor(control: FloodControl, now: () => number = Date.now) {
    if (!Number.isInteger(control.burst) || control.burst < 1)
      throw new RangeError("flood burst must be at least 1");
    if (!(control.intervalMs >= 0)) throw new RangeError("flood interval must be 0 ms or more");
    this.#burst = control.burst;
    this.#intervalMs = control.intervalMs;
    this.#now = now;
    this.#tokens = control.burst;
    this.#refilledAt = now();
  }

  /** Queues one line; resolves once `write` has, rejects with what `write` threw or what `cancel` was given. */
  enqueue(write: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      this.#drain();
    });
  }

  /** Rejects every line not yet written with `error` (a disconnect, a stop). */
  cancel(error: unknown): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const cancelled = this.#queue;
    this.#queue = [];
    for (const line of cancelled) line.reject(error);
  }

  get pending(): number {
    return this.#queue.length;
  }

  #refill(): void {
    const now = this.#now();
    if (this.#intervalMs === 0) {
      this.#tokens = this.#burst;
      this.#refilledAt = now;
      return;
    }
    const earned = Math.floor((now - this.#refilledAt) / this.#intervalMs);
    if (earned <= 0) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + earned);
    this.#refilledAt = this.#tokens === this.#burst ? now : this.#refilledAt + earned * this.#intervalMs;
  }

  #drain(): void {
    if (this.#writing || this.#timer !== undefined) return;
    const next = this.#queue[0];
    if (!next) return;
    this.#refill();
    if (this.#tokens < 1) {
      const wait = Math.max(1, this.#refilledAt + this.#intervalMs - this.#now());
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, wait);
      return;
    }
    this.#tokens -= 1;
    this.#queue.shift();
    this.#writing = true;
    // One write at a time keeps lines in order even if a write is slow to be taken by the socket.
    (async () => next.write())()
      .then(next.resolve, next.reject)
      .finally(() => {
        this.#writing = false;
        this.#drain();
      });
  }
}
