/**
 * Authentication failures per key (a client address, or address and user), counted for the
 * whole cluster so that failures spread over several gateways still trip the limit at the
 * configured count. The rules are FailureRateLimiter's (src/auth/rate-limiter.ts): a sliding
 * window of failures, the one that reaches `maxAttempts` locks the key for `lockoutMs`, failures
 * reported while locked do not extend the lock, a success clears the key.
 */
export interface FailureLimits {
  readonly maxAttempts: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export interface FailureCounterStore {
  /** Counts one failure under `limits`; answers whether the key is now locked and until when. */
  recordFailure(key: string, limits: FailureLimits): Promise<{ locked: boolean; lockedUntil: number }>;
  /** Epoch ms the key is locked until, or 0 when it is not locked. */
  lockedUntil(key: string): Promise<number>;
  /** A success: forgets the key's failures (not a lock in force). */
  clear(key: string): Promise<void>;
}
