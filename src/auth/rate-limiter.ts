import { OpenClawError } from "../errors.js";

export interface FailureRateLimiterOptions {
  /** Failures allowed within `windowMs`; the one that reaches this count locks the key. */
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  /** Keys remembered at most; the least recently failed is forgotten first. Default 10 000. */
  maxKeys?: number;
  now?: () => number;
}

export type RateLimitCheck = { allowed: true } | { allowed: false; retryAfterMs: number };
export type FailureOutcome = { locked: boolean; retryAfterMs?: number };

interface KeyState {
  /** Times of recent failures, oldest first; never longer than maxAttempts. */
  failures: number[];
  lockedUntil: number;
}

export const DEFAULT_MAX_KEYS = 10_000;

/**
 * Counts authentication failures per key (a client address, or address and user) and locks a key
 * out once it fails `maxAttempts` times within a sliding window. With maxAttempts 10, attempts
 * 1 to 10 are checked and fail as usual; the 10th locks the key, so the 11th is refused at
 * `check` without its credential being looked at.
 */
export class FailureRateLimiter {
  private readonly maxAttempts: number;
  private readonly windowMs: number;
  private readonly lockoutMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  // A Map iterates in insertion order; re-inserting a key on each failure keeps the least
  // recently failed key first, which is the one to forget when memory is full.
  private readonly keys = new Map<string, KeyState>();

  constructor(options: FailureRateLimiterOptions) {
    this.maxAttempts = positiveInteger(options.maxAttempts, "maxAttempts");
    this.windowMs = positiveInteger(options.windowMs, "windowMs");
    this.lockoutMs = positiveInteger(options.lockoutMs, "lockoutMs");
    this.maxKeys = positiveInteger(options.maxKeys ?? DEFAULT_MAX_KEYS, "maxKeys");
    this.now = options.now ?? Date.now;
  }

  /** Number of keys currently remembered. */
  get size(): number {
    return this.keys.size;
  }

  check(key: string): RateLimitCheck {
    const state = this.keys.get(key);
    if (state === undefined) return { allowed: true };
    const now = this.now();
    if (state.lockedUntil > now) return { allowed: false, retryAfterMs: state.lockedUntil - now };
    return { allowed: true };
  }

  recordFailure(key: string): FailureOutcome {
    const now = this.now();
    const state = this.keys.get(key) ?? { failures: [], lockedUntil: 0 };
    this.keys.delete(key);
    this.makeRoom(now);
    this.keys.set(key, state);

    // Requests checked just before the lock still report their failures; they must not extend
    // it, or a client could keep itself (or the user it shares an address with) locked forever.
    if (state.lockedUntil > now) return { locked: true, retryAfterMs: state.lockedUntil - now };

    const windowStart = now - this.windowMs;
    while (state.failures.length > 0 && state.failures[0]! <= windowStart) state.failures.shift();
    state.failures.push(now);
    if (state.failures.length < this.maxAttempts) return { locked: false };

    state.failures = [];
    state.lockedUntil = now + this.lockoutMs;
    return { locked: true, retryAfterMs: this.lockoutMs };
  }

  /** A successful authentication clears the key's failures. */
  recordSuccess(key: string): void {
    this.keys.delete(key);
  }

  private makeRoom(now: number): void {
    if (this.keys.size < this.maxKeys) return;
    // Forget the oldest key that is not locked out, so that flooding the limiter with new keys
    // does not release a key that is; only when every key is locked does the oldest go.
    for (const [key, state] of this.keys) {
      if (state.lockedUntil <= now) {
        this.keys.delete(key);
        return;
      }
    }
    const oldest = this.keys.keys().next();
    if (!oldest.done) this.keys.delete(oldest.value);
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `rate limiter ${name} must be a positive integer, got ${value}`,
      {
        hint: `set ${name} to a whole number of at least 1`,
        details: { [name]: value },
      },
    );
  }
  return value;
}
