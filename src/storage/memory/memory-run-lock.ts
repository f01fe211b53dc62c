import { randomUUID } from "node:crypto";
import type { RunLease, RunLock } from "../run-lock.js";

/** The holder of each key: kept by whoever shares the lock (one gateway, or a test's cluster). */
export type RunLeases = Map<string, { token: string; expiresAt: number }>;

export interface MemoryRunLockOptions {
  /** Epoch ms. Tests inject a clock: expiry is never waited for. */
  now?: () => number;
  /** Share these to make several locks one (gateways of one simulated cluster). */
  leases?: RunLeases;
}

/**
 * Run leases in this process's memory: what one gateway over a state dir needs, as only one
 * gateway runs there. An expired lease stays until someone takes the key, so that its holder can
 * still extend it (nobody ran meanwhile); entries go when released or taken.
 */
export class MemoryRunLock implements RunLock {
  private readonly leases: RunLeases;
  private readonly now: () => number;

  constructor(options: MemoryRunLockOptions = {}) {
    this.leases = options.leases ?? new Map();
    this.now = options.now ?? Date.now;
  }

  async acquire(key: string, ttlMs: number): Promise<RunLease | null> {
    const now = this.now();
    const held = this.leases.get(key);
    if (held && held.expiresAt > now) return null;
    const lease = { key, token: randomUUID(), expiresAt: now + ttlMs };
    this.leases.set(key, { token: lease.token, expiresAt: lease.expiresAt });
    return lease;
  }

  async extend(lease: RunLease, ttlMs: number): Promise<boolean> {
    const held = this.leases.get(lease.key);
    if (held?.token !== lease.token) return false;
    held.expiresAt = this.now() + ttlMs;
    return true;
  }

  async release(lease: RunLease): Promise<void> {
    if (this.leases.get(lease.key)?.token === lease.token) this.leases.delete(lease.key);
  }
}
