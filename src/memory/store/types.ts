/** Where a memory came from: the session that wrote it, or the workspace file it was indexed from. */
export interface MemorySource {
  sessionKey?: string;
  /** Workspace file the memory was indexed from; `replaceSource` swaps all chunks of one path. */
  path?: string;
}

export interface MemoryRecord {
  id: string;
  text: string;
  tags: string[];
  source: MemorySource;
  createdAt: string;
  updatedAt: string;
}

export interface MemoryInput {
  text: string;
  tags?: string[];
  source?: MemorySource;
  /** Caller-chosen id; adding an id that exists replaces that memory (its `createdAt` is kept). */
  id?: string;
}

export interface MemoryInputWithVector extends MemoryInput {
  vector?: Float32Array;
}

/** A memory recovered from elsewhere (a damaged copy of the store, Qdrant), put back by `restore`. */
export interface RestoredMemory extends MemoryRecord {
  vector?: Float32Array;
}

export interface SourceChunk {
  text: string;
  vector?: Float32Array;
}

/** One change waiting to be mirrored to an external index (Qdrant), written in the same transaction as the change. */
export interface OutboxEntry {
  seq: number;
  op: "upsert" | "delete";
  memoryId: string;
  /** The record as it was when the change was made; absent for deletes. */
  record?: MemoryRecord;
  /** The record's vector at that time, when it had one. */
  vector?: number[];
  enqueuedAt: string;
}

export type SearchMode = "hybrid" | "keyword" | "vector";

export interface SearchHit {
  record: MemoryRecord;
  /**
   * Higher is better. Hybrid: reciprocal-rank-fusion score; keyword: negated bm25; vector: cosine
   * similarity. Scores are comparable within one result list only.
   */
  score: number;
  /** 1-based rank in the keyword (bm25) list, when the memory was in it. */
  keywordRank?: number;
  /** 1-based rank in the vector (nearest-neighbour) list, when the memory was in it. */
  vectorRank?: number;
}

export interface SearchOptions {
  /** Default 8; larger values are capped at 100. */
  limit?: number;
  /** The query's embedding; without it the search is keyword-only. */
  vector?: Float32Array;
  /** Only memories carrying every one of these tags. */
  tags?: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  mode: SearchMode;
}

export interface MemoryStoreOptions {
  /** Vector size of the configured embedder; unset means no embedder, keyword search only. */
  dimensions?: number;
  /**
   * Whether writes enqueue outbox entries for the Qdrant sync (default true). Without a sync
   * nothing would drain them; after turning a sync on, `enqueueAll` (resync) catches up.
   */
  outbox?: boolean;
  /** Called once, when a statement finds the file damaged (SQLITE_CORRUPT, SQLITE_NOTADB). */
  onCorrupt?: (reason: string) => void;
}
