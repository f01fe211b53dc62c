/**
 * The storage seam: what the gateway keeps, behind async interfaces a cluster can share. The
 * files backend (`files/`) is one gateway's state dir; the memory backend (`memory/`) is for
 * tests; the contract suite (`contract/`, test code, not exported here) is what any backend
 * must pass.
 */
export type { CapabilityRevocation, CapabilityStateStore } from "./capability-state-store.js";
export {
  type ChannelInboxStore,
  INBOX_RETENTION_MS,
  type InboxAddResult,
  type InboxEntry,
  type InboxMessage,
  type InboxState,
} from "./channel-inbox-store.js";
export {
  type ChannelApproval,
  type ChannelPairingRequest,
  type ChannelPairingStore,
  DEFAULT_PAIRING_POLICY,
  type PairingPolicy,
  type PairingRequestResult,
} from "./channel-pairing-store.js";
export {
  CLUSTER_EVENT_RETENTION_MS,
  type ClusterEvent,
  type ClusterEventHandler,
  type ClusterEvents,
} from "./cluster-events.js";
export type { FailureCounterStore, FailureLimits } from "./failure-counter-store.js";
export {
  CHANNELS_DATABASE_PATH,
  createFileStorage,
  FileNodePairingStore,
  type FileStorageOptions,
  FileTranscriptRepository,
  FileUsageRepository,
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_LENGTH,
} from "./files/index.js";
export type { IdempotencyClaim, IdempotencyStore } from "./idempotency-store.js";
export {
  createMemoryStorage,
  MemoryIdempotencyStore,
  MemoryLocation,
  MemoryRunLock,
} from "./memory/index.js";
export type {
  NodeChange,
  NodeChangeObserver,
  NodeDecision,
  NodePairingStore,
  NodeRecord,
  NodeRequest,
  NodeStatus,
} from "./node-pairing-store.js";
export { type OpenStorageOptions, openStorage } from "./open-storage.js";
// Types only: the PostgreSQL backend (and pg) loads when a config asks for it (openStorage);
// code that needs its classes imports src/storage/postgres.
export type { PostgresDatabase, PostgresStorage, PostgresStorageOptions } from "./postgres/index.js";
export type { ReplicaInfo, ReplicaRegistry } from "./replica-registry.js";
export type { RunLease, RunLock } from "./run-lock.js";
export {
  DEFAULT_MAX_IDEMPOTENCY_KEYS,
  DEFAULT_MAX_PENDING_NODES,
  type Storage,
  type StorageOptions,
} from "./storage.js";
export {
  placeOf,
  type ThreadBinding,
  type ThreadBindingPlace,
  type ThreadBindingStore,
  threadBindingKey,
} from "./thread-binding-store.js";
export type {
  SessionSummary,
  StoredTranscript,
  TranscriptRead,
  TranscriptRepository,
} from "./transcript-repository.js";
export {
  type UsageRange,
  type UsageRead,
  type UsageRepository,
  usageEntryInRange,
} from "./usage-repository.js";
