import type { ClusterEvent, ClusterEvents } from "../storage/cluster-events.js";
import type { FailureCounterStore, FailureLimits } from "../storage/failure-counter-store.js";
import type { FailureOutcome, RateLimitCheck } from "./rate-limiter.js";

/** The cluster event a lockout travels as: `{ scope, key, lockedUntil }`. */
export const LOCKOUT_TOPIC = "lockout";

/** Locks remembered locally at most; the oldest go first (the store still has them). */
const MAX_CACHED_LOCKS = 10_000;

export interface ClusterFailureLimiterOptions {
  store: FailureCounterStore;
  events: ClusterEvents;
  /**
   * Which limiter of the gateway this is (`gateway`, `hooks`): its keys are counted apart from
   * the others', as each process's limiters are.
   */
  scope: string;
  now?: () => number;
}

/**
 * FailureRateLimiter's rules for a cluster: failures are counted in the shared store, so that
 * failures spread over three gateways lock the key at the configured count, and a lock reached
 * on one is refused on all. The one that locks publishes a `lockout` event, which every gateway
 * keeps in a local cache (answered without asking the store); a key not in the cache is looked
 * up in the store, so a request that arrives before the event is still refused.
 */
export class ClusterFailureLimiter {
  private readonly now: () => number;
  /** Key → epoch ms it is locked until, as heard from the store or a lockout event. */
  private readonly locks = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ClusterFailureLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.events.subscribe((event) => this.receive(event));
  }

  /** Whether the key may try now: the local cache first, the store when it knows of no lock. */
  async check(key: string): Promise<RateLimitCheck> {
    const cached = this.cachedLock(key);
    if (cached !== undefined) return cached;
    const lockedUntil = await this.options.store.lockedUntil(this.scoped(key));
    const now = this.now();
    if (lockedUntil <= now) return { allowed: true };
    this.remember(key, lockedUntil);
    return { allowed: false, retryAfterMs: lockedUntil - now };
  }

  /** The key's lock from the cache alone, when there is one (no store round trip). */
  cachedLock(key: string): RateLimitCheck | undefined {
    const lockedUntil = this.locks.get(key);
    if (lockedUntil === undefined) return undefined;
    const now = this.now();
    if (lockedUntil > now) return { allowed: false, retryAfterMs: lockedUntil - now };
    this.locks.delete(key);
    return undefined;
  }

  async recordFailure(key: string, limits: FailureLimits): Promise<FailureOutcome> {
    const outcome = await this.options.store.recordFailure(this.scoped(key), limits);
    if (!outcome.locked) return { locked: false };
    const known = this.locks.get(key) === outcome.lockedUntil;
    this.remember(key, outcome.lockedUntil);
    if (!known) {
      // Told to the others even when this gateway only learnt of the lock now: a repeat costs a
      // cache write, a missed one a round trip per request until the event of the one that locked.
      await this.options.events.publish(LOCKOUT_TOPIC, {
        scope: this.options.scope,
        key,
        lockedUntil: outcome.lockedUntil,
      });
    }
    return { locked: true, retryAfterMs: Math.max(0, outcome.lockedUntil - this.now()) };
  }

  /** A success: the key's failures are forgotten cluster-wide (not a lock in force). */
  async recordSuccess(key: string): Promise<void> {
    await this.options.store.clear(this.scoped(key));
  }

  close(): void {
    this.unsubscribe();
  }

  private scoped(key: string): string {
    return `${this.options.scope}:${key}`;
  }

  private receive(event: ClusterEvent): void {
    if (event.topic !== LOCKOUT_TOPIC || typeof event.payload !== "object" || event.payload === null) return;
    const { scope, key, lockedUntil } = event.payload as Record<string, unknown>;
    if (scope !== this.options.scope || typeof key !== "string" || typeof lockedUntil !== "number") return;
    if (lockedUntil > this.now()) this.remember(key, lockedUntil);
  }

  private remember(key: string, lockedUntil: number): void {
    this.locks.delete(key);
    if (this.locks.size >= MAX_CACHED_LOCKS) {
      const now = this.now();
      for (const [held, until] of this.locks) {
        if (until <= now) this.locks.delete(held);
      }
      const oldest = this.locks.keys().next();
      if (this.locks.size >= MAX_CACHED_LOCKS && !oldest.done) this.locks.delete(oldest.value);
    }
    this.locks.set(key, lockedUntil);
  }
}
