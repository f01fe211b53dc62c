export { type BackoffOptions, backoffDelayMs } from "./backoff.js";
export { type CoalescedBatch, coalesceEntries, type SyncRun } from "./coalesce-entries.js";
export type { MemoryRecordLike, Outbox, OutboxEntry } from "./outbox.js";
export { MEMORY_POINT_NAMESPACE, memoryPointId, uuidV5 } from "./point-id.js";
export {
  type CollectionCheck,
  describeQdrantError,
  ensureCollection,
  type QdrantLike,
} from "./qdrant-collection.js";
export {
  type QdrantMemoryPoint,
  type QdrantSearchHit,
  scrollAgentPoints,
  searchPoints,
  sendRun,
} from "./qdrant-points.js";
export { QdrantSync } from "./qdrant-sync.js";
export type { QdrantSyncOptions } from "./qdrant-sync-options.js";
export type { QdrantSyncHealth, QdrantSyncState, QdrantSyncStatus } from "./qdrant-sync-status.js";
