import { OpenClawError } from "../errors.js";

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * An agent's turn slots: up to `maxConcurrent` turns run, up to `maxQueue` wait in order, and
 * anything beyond is refused at once with a retryable error. Refusing loudly is the point: a
 * queue without a bound turns overload into latency that nobody sees until it is too late.
 */
export class TurnAdmission {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly agentId: string,
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
  ) {}

  get activeCount(): number {
    return this.active;
  }

  get queueDepth(): number {
    return this.waiting.length;
  }

  /** Throws the busy error a new turn would get now, if any. */
  assertRoom(): void {
    if (this.active < this.maxConcurrent || this.waiting.length < this.maxQueue) return;
    throw new OpenClawError(
      "OC_ERR_AGENT_BUSY",
      `agent "${this.agentId}" is busy: ${this.active} turns running and ${this.waiting.length} waiting`,
      {
        hint: `retry later, or raise agents.${this.agentId}.limits.maxConcurrent / maxQueue`,
        details: {
          agentId: this.agentId,
          running: this.active,
          queued: this.waiting.length,
          retryAfterMs: 1000,
        },
      },
    );
  }

  /** Resolves with a release function once the turn may run. */
  enter(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    this.assertRoom();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiting.indexOf(waiter);
          if (index !== -1) this.waiting.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Fails every waiting turn (the agent went away while they queued). */
  rejectWaiting(error: unknown): void {
    for (const waiter of this.waiting.splice(0)) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.reject(error);
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next.signal?.removeEventListener("abort", next.onAbort);
        next.resolve(this.releaser());
      } else {
        this.active--;
      }
    };
  }
}
