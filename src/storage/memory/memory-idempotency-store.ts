import type { IdempotencyClaim, IdempotencyStore } from "../idempotency-store.js";
import { DEFAULT_MAX_IDEMPOTENCY_KEYS } from "../storage.js";

/** Claimed keys in claim order (a Map keeps insertion order: the oldest claim is first). */
export type IdempotencyEntries = Map<string, { value: unknown; expiresAt: number }>;

export interface MemoryIdempotencyStoreOptions {
  /** Epoch ms. Tests inject a clock: expiry is never waited for. */
  now?: () => number;
  /** Keys kept at most; the oldest claims are forgotten beyond it. */
  maxEntries?: number;
  /** Share these to make several stores one (gateways of one simulated cluster). */
  entries?: IdempotencyEntries;
}

/**
 * Idempotency keys in this process's memory, bounded by count and age: what one gateway over a
 * state dir needs (a retry after a restart is a new run, as a client reconnecting to a restarted
 * gateway finds its runs gone anyway). Values are held as given, not copied: callers treat them
 * as immutable (see IdempotencyStore), which keeps a claim free of serialization on the chat path.
 */
export class MemoryIdempotencyStore<T> implements IdempotencyStore<T> {
  private readonly entries: IdempotencyEntries;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.entries = options.entries ?? new Map();
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_IDEMPOTENCY_KEYS);
  }

  async claim(key: string, value: T, ttlMs: number): Promise<IdempotencyClaim<T>> {
    const known = this.live(key);
    if (known) return { claimed: false, existing: known.value as T };
    // Re-inserted, so that a reclaimed key counts as the newest.
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    return { claimed: true };
  }

  async update(key: string, value: T): Promise<void> {
    const known = this.live(key);
    if (known) known.value = value;
  }

  async get(key: string): Promise<T | undefined> {
    return this.live(key)?.value as T | undefined;
  }

  async forget(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** The key's entry while unexpired; an expired one is dropped on sight. */
  private live(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
