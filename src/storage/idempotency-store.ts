/**
 * What a client's idempotency key already started: a retry with the same key gets that run
 * (or its answer) back instead of starting another. Bounded by count and age; one store per
 * gateway instance (files backend) or shared by the gateways of one state (PostgreSQL).
 *
 * Values are plain JSON data and are never edited in place: a shared store keeps a serialized
 * copy, so a change is seen only through `update`. A key's age counts from its claim; when more
 * keys are held than the store's bound, the oldest claims are forgotten first.
 */
export type IdempotencyClaim<T> = { claimed: true } | { claimed: false; existing: T };

export interface IdempotencyStore<T> {
  /** Records `value` under `key` unless the key is known (and unexpired): then answers what is. */
  claim(key: string, value: T, ttlMs: number): Promise<IdempotencyClaim<T>>;
  /**
   * Replaces the value of a claimed key (the run finished: its answer), keeping its expiry. A
   * key that expired or was forgotten meanwhile stays unknown: an update never claims.
   */
  update(key: string, value: T): Promise<void>;
  /** The value of a known, unexpired key. */
  get(key: string): Promise<T | undefined>;
  /** Forgets the key (a run that failed before it started may be tried again). */
  forget(key: string): Promise<void>;
}
