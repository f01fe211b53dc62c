export { EmbeddingsClient, type EmbeddingsClientOptions } from "./embeddings/embeddings-client.js";
export { type AgentMemoryStatus, MemoryService, type MemoryServiceOptions } from "./memory-service.js";
export { WorkspaceIndexer } from "./workspace-indexer.js";
