import { OpenClawError } from "../errors.js";
import { SYSTEM_TURN_CLOCK, type TurnClock } from "./turn-clock.js";

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  cancelTimer: () => void;
}

/** What a client retrying a busy agent is told to wait. */
const BUSY_RETRY_AFTER_MS = 1000;

export interface TurnAdmissionOptions {
  /** How long a turn may wait for a slot, counted from its arrival. */
  queueTimeoutMs?: number;
  clock?: TurnClock;
}

/** The turn gave up waiting: it never ran, and the same request may be sent again. */
export function queueTimeoutError(
  agentId: string,
  waitedMs: number,
  queueTimeoutMs: number,
  waitingFor: string,
): OpenClawError {
  return new OpenClawError(
    "OC_ERR_QUEUE_TIMEOUT",
    `agent "${agentId}" is busy: the turn waited ${Math.round(waitedMs)} ms for ${waitingFor} (limits.queueTimeoutMs ${queueTimeoutMs}) and was not run`,
    {
      hint: `retry after Retry-After; if it is this busy often, raise agents.${agentId}.limits.maxConcurrent or send it fewer turns at once (limits.queueTimeoutMs lets turns wait longer)`,
      details: { agentId, waitedMs: Math.round(waitedMs), queueTimeoutMs, retryAfterMs: BUSY_RETRY_AFTER_MS },
    },
  );
}

/**
 * An agent's turn slots: up to `maxConcurrent` turns run, up to `maxQueue` wait in order, and
 * anything beyond is refused at once with a retryable error. Refusing loudly is the point: a
 * queue without a bound turns overload into latency that nobody sees until it is too late. For
 * the same reason a wait is bounded in time too: a turn still waiting `queueTimeoutMs` after it
 * arrived leaves the queue with a retryable error instead of waiting behind hung turns.
 */
export class TurnAdmission {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private readonly queueTimeoutMs: number;
  private readonly clock: TurnClock;

  constructor(
    private readonly agentId: string,
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
    options: TurnAdmissionOptions = {},
  ) {
    this.queueTimeoutMs = options.queueTimeoutMs ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? SYSTEM_TURN_CLOCK;
  }

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
          retryAfterMs: BUSY_RETRY_AFTER_MS,
        },
      },
    );
  }

  /**
   * Resolves with a release function once the turn may run. `arrivedAt` (this admission's clock)
   * is when the turn reached the gateway: time it spent waiting elsewhere counts toward the queue
   * timeout. A slot free now is taken whatever the time.
   */
  enter(signal?: AbortSignal, arrivedAt = this.clock.now()): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    this.assertRoom();
    const remainingMs = arrivedAt + this.queueTimeoutMs - this.clock.now();
    if (remainingMs <= 0) return Promise.reject(this.timedOut(arrivedAt));
    return new Promise((resolve, reject) => {
      const leave = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        signal?.removeEventListener("abort", waiter.onAbort);
      };
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          leave();
          waiter.cancelTimer();
          reject(signal?.reason);
        },
        cancelTimer: () => undefined,
      };
      if (Number.isFinite(remainingMs)) {
        waiter.cancelTimer = this.clock.setTimer(() => {
          leave();
          reject(this.timedOut(arrivedAt));
        }, remainingMs);
      }
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Fails every waiting turn (the agent went away while they queued). */
  rejectWaiting(error: unknown): void {
    for (const waiter of this.waiting.splice(0)) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.cancelTimer();
      waiter.reject(error);
    }
  }

  private timedOut(arrivedAt: number): OpenClawError {
    return queueTimeoutError(this.agentId, this.clock.now() - arrivedAt, this.queueTimeoutMs, "a turn slot");
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next.signal?.removeEventListener("abort", next.onAbort);
        next.cancelTimer();
        next.resolve(this.releaser());
      } else {
        this.active--;
      }
    };
  }
}
