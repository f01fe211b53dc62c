export type { AgentMemoryStore, MemoryOutbox } from "./agent-memory-store.js";
export { corruptStoreError, inspectStoreFile, integrityProblem, isCorruption } from "./corruption.js";
export { EmbeddingCache } from "./embedding-cache.js";
export { toKeywordQuery } from "./keyword-query.js";
export { newMemoryId } from "./memory-id.js";
export {
  MAX_MEMORY_TAGS,
  MAX_MEMORY_TEXT_BYTES,
  MAX_TAG_LENGTH,
  MAX_VECTOR_DIMENSIONS,
} from "./memory-input.js";
export { fuseRanks, RRF_K } from "./rank-fusion.js";
export { SCHEMA_VERSION } from "./schema.js";
export { SqliteMemoryStore } from "./sqlite-memory-store.js";
export type {
  MemoryInput,
  MemoryInputWithVector,
  MemoryRecord,
  MemorySource,
  MemoryStoreOptions,
  OutboxEntry,
  RestoredMemory,
  SearchHit,
  SearchMode,
  SearchOptions,
  SearchResult,
  SourceChunk,
} from "./types.js";
export { memoryContentHash } from "./vector-blob.js";
