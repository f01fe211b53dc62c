export { EmbeddingsClient, type EmbeddingsClientOptions } from "./embeddings/embeddings-client.js";
export { type MemoryRepairOptions, MemoryService, type MemoryServiceOptions } from "./memory-service.js";
export type { AgentMemoryStatus } from "./memory-status.js";
export { type OfflineRepairOptions, repairOffline } from "./offline-repair.js";
export { describeRepair, type MemoryRepairReport } from "./repair/index.js";
export {
  type AgentMemoryStore,
  inspectStoreFile,
  type MemoryOutbox,
  SqliteMemoryStore,
} from "./store/index.js";
export { repairCommand } from "./store-failures.js";
export { WorkspaceIndexer } from "./workspace-indexer.js";
