import type { CapabilityStateStore } from "./capability-state-store.js";
import type { ChannelInboxStore } from "./channel-inbox-store.js";
import type { ChannelPairingStore } from "./channel-pairing-store.js";
import type { ClusterEvents } from "./cluster-events.js";
import type { FailureCounterStore } from "./failure-counter-store.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import type { NodePairingStore } from "./node-pairing-store.js";
import type { ReplicaRegistry } from "./replica-registry.js";
import type { RunLock } from "./run-lock.js";
import type { ThreadBindingStore } from "./thread-binding-store.js";
import type { TranscriptRepository } from "./transcript-repository.js";
import type { UsageRepository } from "./usage-repository.js";

/**
 * Everything a gateway keeps, from one backend: the files of a state dir (one gateway), memory
 * (tests), later a database several gateways share. The gateway and the CLI depend on this,
 * never on a backend's classes; the contract suite (`src/storage/contract`) is what a backend
 * must pass.
 */
export interface Storage {
  /** `files` (one gateway's state dir, the default), `memory` (tests) or `postgres` (a cluster). */
  readonly kind: "files" | "memory" | "postgres";
  /**
   * Whether several gateways may share this storage at once (PostgreSQL; a memory location in
   * tests): then sessions are leased, events cross replicas and channel accounts have leaders.
   */
  readonly shared: boolean;
  readonly transcripts: TranscriptRepository;
  readonly usage: UsageRepository;
  readonly nodes: NodePairingStore;
  /** Who runs a session's turn now. */
  readonly runLock: RunLock;
  /** Messages received through channels, from their arrival to their reply. */
  readonly channelInbox: ChannelInboxStore;
  /** Who may DM each channel account, and the codes of those asking. */
  readonly channelPairing: ChannelPairingStore;
  /** Chat conversations bound to a helper agent's session (sessions_spawn with thread: true). */
  readonly threadBindings: ThreadBindingStore;
  /**
   * The idempotency keys of one purpose (`runs`): keys of one purpose never answer for
   * another's. Asking twice for a purpose gives the same store.
   */
  idempotency<T>(purpose: string): IdempotencyStore<T>;
  /** Events for the other gateways of the cluster (delivered to this one too). */
  readonly events: ClusterEvents;
  /** The gateways sharing this storage, each announcing itself while alive. */
  readonly replicas: ReplicaRegistry;
  /** The capability signing key and revocations every gateway checks against. */
  readonly capabilityState: CapabilityStateStore;
  /** Authentication failures counted across the cluster. */
  readonly failureCounters: FailureCounterStore;
  /**
   * Whether the storage answers now (a database reachable; a state dir is always "reachable"
   * here, its writability is StateDirHealth's): `/readyz` is false while it does not.
   */
  reachable(): Promise<boolean>;
  /** Waits for writes in flight and lets go of files and connections. */
  close(): Promise<void>;
}

/** What every backend takes: the clock (tests inject one; TTLs are never waited for) and bounds. */
export interface StorageOptions {
  /** Epoch ms. */
  now?: () => number;
  /** Idempotency keys kept per purpose at most; the oldest claims go first beyond it. */
  maxIdempotencyKeys?: number;
  /**
   * Pending node requests kept at most; the oldest is dropped beyond it. Anyone who can reach
   * the gateway can mint device keys, and each new key is a pending request.
   */
  maxPendingNodes?: number;
}

export const DEFAULT_MAX_IDEMPOTENCY_KEYS = 10_000;
export const DEFAULT_MAX_PENDING_NODES = 100;
