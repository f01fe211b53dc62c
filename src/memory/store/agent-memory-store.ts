import type {
  MemoryInput,
  MemoryRecord,
  OutboxEntry,
  RestoredMemory,
  SearchOptions,
  SearchResult,
  SourceChunk,
} from "./types.js";

/**
 * One agent's long-term memory as the memory service uses it. Every call is asynchronous so
 * that a store across a network (PostgreSQL with pgvector) implements it as well as the SQLite
 * file (`SqliteMemoryStore`) does. What an implementation must guarantee:
 * - each call is atomic on its own: a write and the outbox entries it enqueues commit together,
 *   and a resolved write is durable (it reaches the external index even after a crash);
 * - a store that finds its data damaged refuses every later call with OC_ERR_MEMORY_CORRUPT;
 * - bad input is refused with OC_ERR_BAD_REQUEST before anything is written.
 * Nothing is promised across calls: between a read and a write, another writer may have been.
 */
export interface AgentMemoryStore extends MemoryOutbox {
  /** Vector size of the configured embedder; undefined when memory is keyword-only. */
  readonly dimensions: number | undefined;

  /** Adds a memory, or replaces the one with the same id (keeping its `createdAt`). */
  add(input: MemoryInput, vector?: Float32Array): Promise<MemoryRecord>;
  get(id: string): Promise<MemoryRecord | undefined>;
  /** Deletes a memory from every index; false when there was none with that id. */
  forget(id: string): Promise<boolean>;
  count(): Promise<number>;
  /** Hybrid with a query vector, keyword-only without; `mode` says which ran. */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Swaps every chunk of one workspace file for `chunks`, atomically. */
  replaceSource(path: string, chunks: SourceChunk[]): Promise<{ added: number; removed: number }>;

  /** Memories that still need an embedding, oldest first. */
  withoutVector(limit: number): Promise<MemoryRecord[]>;
  /** Stores a (re-)computed embedding; OC_ERR_NOT_FOUND when the memory is gone meanwhile. */
  setVector(id: string, vector: Float32Array): Promise<void>;
  cachedEmbedding(model: string, contentHash: string): Promise<Float32Array | undefined>;
  cacheEmbedding(model: string, contentHash: string, vector: Float32Array): Promise<void>;

  /** Puts back recovered memories with their ids and times; what no longer validates is counted. */
  restore(memories: RestoredMemory[]): Promise<{ restored: number; invalid: number }>;
  /** Checks the stored data now; a problem found also marks the store corrupt. */
  checkIntegrity(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * The outbox: changes waiting to be mirrored to an external index (Qdrant), enqueued in the same
 * commit as the change itself. Entries leave it only through `ackOutbox`.
 */
export interface MemoryOutbox {
  /** The oldest entries not yet acknowledged, in `seq` order. */
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  ackOutbox(seqs: number[]): Promise<void>;
  outboxDepth(): Promise<number>;
  /** `enqueuedAt` of the oldest pending entry. */
  oldestPendingAt(): Promise<string | undefined>;
  /** Enqueues an upsert of every memory (for a new or wiped external index); returns how many. */
  enqueueAll(): Promise<number>;
}
