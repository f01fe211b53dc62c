export { MemoryChannelInboxStore } from "./memory-channel-inbox-store.js";
export { MemoryChannelPairingStore } from "./memory-channel-pairing-store.js";
export {
  MemoryCapabilityState,
  MemoryClusterEvents,
  MemoryClusterState,
  MemoryFailureCounters,
  MemoryReplicaRegistry,
} from "./memory-cluster-state.js";
export {
  type IdempotencyEntries,
  MemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from "./memory-idempotency-store.js";
export { MemoryLocation } from "./memory-location.js";
export { MemoryNodePairingStore, type MemoryNodePairingStoreOptions } from "./memory-node-pairing-store.js";
export { MemoryRunLock, type MemoryRunLockOptions, type RunLeases } from "./memory-run-lock.js";
export { createMemoryStorage } from "./memory-storage.js";
export { MemoryThreadBindingStore } from "./memory-thread-binding-store.js";
export { MemoryTranscriptRepository } from "./memory-transcript-repository.js";
export { MemoryUsageRepository } from "./memory-usage-repository.js";
