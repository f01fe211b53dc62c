import { randomBytes } from "node:crypto";
import type { CapabilityRevocation, CapabilityStateStore } from "../capability-state-store.js";
import type { ClusterEvent, ClusterEventHandler, ClusterEvents } from "../cluster-events.js";
import type { FailureCounterStore, FailureLimits } from "../failure-counter-store.js";
import type { ReplicaInfo, ReplicaRegistry } from "../replica-registry.js";

/**
 * What the cluster-wide stores keep in one process: a files-backed gateway (alone on its state
 * dir, so "the cluster" is itself) and the tests' simulated clusters (several storages on one
 * MemoryLocation share one of these).
 */
export class MemoryClusterState {
  readonly handlers = new Set<ClusterEventHandler>();
  seq = 0;
  readonly replicas = new Map<string, ReplicaInfo>();
  signingKey: Buffer | undefined;
  readonly revocations = new Map<string, CapabilityRevocation>();
  readonly failures = new Map<string, { failures: number[]; lockedUntil: number }>();
}

export class MemoryClusterEvents implements ClusterEvents {
  constructor(
    private readonly state: MemoryClusterState,
    private readonly origin: string,
    private readonly now: () => number,
  ) {}

  async publish(topic: string, payload: unknown): Promise<number> {
    const seq = ++this.state.seq;
    // Copied as a database would: a subscriber never shares the publisher's object.
    const event: ClusterEvent = {
      seq,
      topic,
      origin: this.origin,
      payload: payload === undefined ? undefined : JSON.parse(JSON.stringify(payload)),
      at: this.now(),
    };
    // Delivered after the publisher's turn, as a notification from a database arrives.
    queueMicrotask(() => {
      for (const handler of this.state.handlers) handler(event);
    });
    return seq;
  }

  subscribe(handler: ClusterEventHandler): () => void {
    // One registration per call, even for the same function: each unsubscribe removes its own.
    const own: ClusterEventHandler = (event) => handler(event);
    this.state.handlers.add(own);
    return () => this.state.handlers.delete(own);
  }
}

export class MemoryReplicaRegistry implements ReplicaRegistry {
  constructor(
    private readonly state: MemoryClusterState,
    private readonly now: () => number,
  ) {}

  async announce(replica: Omit<ReplicaInfo, "lastSeenAt" | "expiresAt">, ttlMs: number): Promise<void> {
    const now = this.now();
    this.state.replicas.set(replica.id, { ...replica, lastSeenAt: now, expiresAt: now + ttlMs });
  }

  async list(): Promise<ReplicaInfo[]> {
    const now = this.now();
    return [...this.state.replicas.values()]
      .filter((replica) => replica.expiresAt > now)
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((replica) => ({ ...replica }));
  }

  async leave(id: string): Promise<void> {
    this.state.replicas.delete(id);
  }
}

export class MemoryCapabilityState implements CapabilityStateStore {
  constructor(
    private readonly state: MemoryClusterState,
    private readonly now: () => number,
  ) {}

  async signingKey(): Promise<Buffer> {
    this.state.signingKey ??= randomBytes(32);
    return Buffer.from(this.state.signingKey);
  }

  async revoke(revocation: CapabilityRevocation): Promise<void> {
    const key = `${revocation.scope}\u0000${revocation.id}`;
    const held = this.state.revocations.get(key);
    if (held && held.issuedUpTo > revocation.issuedUpTo) return;
    this.state.revocations.set(key, { ...revocation });
  }

  async revocations(): Promise<CapabilityRevocation[]> {
    const now = this.now();
    for (const [key, revocation] of this.state.revocations) {
      if (revocation.keepUntil <= now) this.state.revocations.delete(key);
    }
    return [...this.state.revocations.values()].map((revocation) => ({ ...revocation }));
  }
}

/** Keys remembered at most, as FailureRateLimiter bounds its own: the least recently failed go first. */
const MAX_FAILURE_KEYS = 10_000;

export class MemoryFailureCounters implements FailureCounterStore {
  constructor(
    private readonly state: MemoryClusterState,
    private readonly now: () => number,
  ) {}

  async recordFailure(key: string, limits: FailureLimits): Promise<{ locked: boolean; lockedUntil: number }> {
    const now = this.now();
    const entry = this.state.failures.get(key) ?? { failures: [], lockedUntil: 0 };
    this.state.failures.delete(key);
    if (this.state.failures.size >= MAX_FAILURE_KEYS) {
      const oldest = this.state.failures.keys().next();
      if (!oldest.done) this.state.failures.delete(oldest.value);
    }
    this.state.failures.set(key, entry);
    if (entry.lockedUntil > now) return { locked: true, lockedUntil: entry.lockedUntil };
    const windowStart = now - limits.windowMs;
    entry.failures = entry.failures.filter((at) => at > windowStart);
    entry.failures.push(now);
    if (entry.failures.length < limits.maxAttempts) return { locked: false, lockedUntil: 0 };
    entry.failures = [];
    entry.lockedUntil = now + limits.lockoutMs;
    return { locked: true, lockedUntil: entry.lockedUntil };
  }

  async lockedUntil(key: string): Promise<number> {
    const lockedUntil = this.state.failures.get(key)?.lockedUntil ?? 0;
    return lockedUntil > this.now() ? lockedUntil : 0;
  }

  async clear(key: string): Promise<void> {
    const entry = this.state.failures.get(key);
    if (entry && entry.lockedUntil <= this.now()) this.state.failures.delete(key);
  }
}
