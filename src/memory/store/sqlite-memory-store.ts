import type { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import type { AgentMemoryStore } from "./agent-memory-store.js";
import { corruptionReason, corruptStoreError, integrityProblem, isCorruption } from "./corruption.js";
import { EmbeddingCache } from "./embedding-cache.js";
import { KeywordIndexCache } from "./keyword-index-cache.js";
import {
  MAX_MEMORY_TEXT_BYTES,
  type ValidMemoryInput,
  validateDimensions,
  validateLimit,
  validateMemoryInput,
  validateSourcePath,
  validateTags,
  validateText,
  validateVector,
} from "./memory-input.js";
import { type MemoryRow, rowToRecord } from "./memory-row.js";
import { MemorySearch } from "./memory-search.js";
import { MemoryTables } from "./memory-tables.js";
import { openMemoryDatabase } from "./open-database.js";
import { MemoryOutboxTable } from "./outbox.js";
import { validRestoredMemories } from "./restore-input.js";
import { createVectorTable } from "./schema.js";
import { StatementGuard } from "./statement-guard.js";
import type {
  MemoryInput,
  MemoryInputWithVector,
  MemoryRecord,
  MemoryStoreOptions,
  OutboxEntry,
  RestoredMemory,
  SearchOptions,
  SearchResult,
  SourceChunk,
} from "./types.js";
import { vectorToBlob } from "./vector-blob.js";
import { VectorIndexCache } from "./vector-index-cache.js";
import { requireVectorExtension, settleVectorTable } from "./vector-table.js";

const DEFAULT_SEARCH_LIMIT = 8;
const MAX_SEARCH_LIMIT = 100;
const MAX_BATCH = 10_000;
const RESTORE_BATCH = 1000;

/**
 * One agent's long-term memory in one SQLite file: the memories, an FTS5 keyword index, a
 * sqlite-vec vector index, an embedding cache and the outbox that mirrors changes to Qdrant.
 * Every write and its outbox entries commit in one transaction, so what is acknowledged here is
 * durable (WAL, synchronous=FULL) and will reach the external index even after a crash. The work
 * is synchronous (node:sqlite); the methods are async to be the `AgentMemoryStore` the service
 * holds, whatever store that is.
 */
export class SqliteMemoryStore implements AgentMemoryStore {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #guard: StatementGuard;
  readonly #tables: MemoryTables;
  readonly #outbox: MemoryOutboxTable;
  readonly #mirror: boolean;
  readonly #cache: EmbeddingCache;
  readonly #search: MemorySearch;
  readonly #keywordIndex: KeywordIndexCache;
  readonly #vectorExtension: boolean;
  #dimensions: number | undefined;

  static open(path: string, options: MemoryStoreOptions = {}): SqliteMemoryStore {
    const requested = options.dimensions === undefined ? undefined : validateDimensions(options.dimensions);
    const { db, vectorExtension } = openMemoryDatabase(path);
    try {
      return new SqliteMemoryStore(db, path, requested, vectorExtension, options);
    } catch (error) {
      db.close();
      if (isCorruption(error) && !(error instanceof OpenClawError)) {
        throw corruptStoreError(path, corruptionReason(error), error);
      }
      throw error;
    }
  }

  private constructor(
    db: DatabaseSync,
    path: string,
    requested: number | undefined,
    vectorExtension: boolean,
    options: MemoryStoreOptions,
  ) {
    this.#db = db;
    this.#path = path;
    this.#mirror = options.outbox ?? true;
    this.#vectorExtension = vectorExtension;
    this.#guard = new StatementGuard(db, path, options.onCorrupt);
    const { hasVectorTable } = settleVectorTable({
      db,
      path,
      guard: this.#guard,
      requested,
      vectorExtension,
    });
    this.#dimensions = requested;
    const vectorIndex = new VectorIndexCache(db, hasVectorTable);
    const keywordIndex = new KeywordIndexCache(db);
    this.#keywordIndex = keywordIndex;
    this.#guard.onRollback = () => {
      vectorIndex.drop();
      keywordIndex.drop();
    };
    this.#tables = new MemoryTables(db, hasVectorTable, vectorIndex, keywordIndex);
    this.#outbox = new MemoryOutboxTable(db);
    this.#cache = new EmbeddingCache(db);
    this.#search = new MemorySearch(db, vectorIndex, keywordIndex);
  }

  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  /** What SQLite said about the damage, once a statement found the file corrupt. */
  get corruption(): string | undefined {
    return this.#guard.corruption;
  }

  /** Runs `PRAGMA quick_check` now; a problem marks the store corrupt (and is returned). */
  async checkIntegrity(): Promise<string | undefined> {
    const problem = this.#guard.read(() => integrityProblem(this.#db));
    if (problem) this.#guard.markCorrupt(problem);
    return problem;
  }

  async restore(memories: RestoredMemory[]): Promise<{ restored: number; invalid: number }> {
    const { valid, invalid } = validRestoredMemories(memories, this.#dimensions);
    for (let start = 0; start < valid.length; start += RESTORE_BATCH) {
      this.#guard.transaction(() => {
        for (const { input, vector, createdAt, updatedAt } of valid.slice(start, start + RESTORE_BATCH)) {
          this.#upsert(input, vector, updatedAt, createdAt);
        }
      });
    }
    return { restored: valid.length, invalid };
  }

  #vectorOf(vector: Float32Array | undefined): Float32Array | undefined {
    return vector === undefined ? undefined : validateVector(vector, this.#dimensions);
  }

  async add(input: MemoryInput, vector?: Float32Array): Promise<MemoryRecord> {
    return (await this.addMany([{ ...input, vector }]))[0] as MemoryRecord;
  }

  /** All or nothing: one invalid input refuses the whole batch before anything is written. */
  async addMany(inputs: MemoryInputWithVector[]): Promise<MemoryRecord[]> {
    boundedBatch(inputs, "addMany takes an array", "memories", "split the batch");
    const valid = inputs.map((input) => ({
      input: validateMemoryInput(input),
      vector: this.#vectorOf(input.vector),
    }));
    if (valid.length === 0) return [];
    return this.#guard.transaction(() => {
      const now = new Date().toISOString();
      return valid.map(({ input, vector }) => this.#upsert(input, vector, now));
    });
  }

  /**
   * Re-indexes one workspace file: every memory whose source path is `path` is deleted and the
   * chunks are added in its place, atomically, so a search never sees the file half re-indexed.
   */
  async replaceSource(path: string, chunks: SourceChunk[]): Promise<{ added: number; removed: number }> {
    validateSourcePath(path);
    boundedBatch(
      chunks,
      "replaceSource takes an array",
      "chunks",
      "split the file into fewer, larger chunks",
    );
    const valid = chunks.map((chunk) => ({
      text: validateText(chunk?.text, "chunk text"),
      vector: this.#vectorOf(chunk.vector),
    }));
    return this.#guard.transaction(() => {
      const now = new Date().toISOString();
      const old = this.#tables.byPath(path);
      for (const row of old) this.#remove(row, now);
      for (const chunk of valid) {
        this.#upsert({ id: undefined, text: chunk.text, tags: [], source: { path } }, chunk.vector, now);
      }
      return { added: valid.length, removed: old.length };
    });
  }

  async forget(id: string): Promise<boolean> {
    requireIdString(id);
    return this.#guard.transaction(() => {
      const row = this.#tables.byId(id);
      if (!row) return false;
      this.#remove(row, new Date().toISOString());
      return true;
    });
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    requireIdString(id);
    const row = this.#guard.read(() => this.#tables.byId(id));
    return row ? rowToRecord(row) : undefined;
  }

  async count(): Promise<number> {
    return this.#guard.read(() => this.#tables.count());
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    if (typeof query !== "string" || Buffer.byteLength(query, "utf8") > MAX_MEMORY_TEXT_BYTES) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `search query must be a string of at most ${MAX_MEMORY_TEXT_BYTES} bytes`,
        { hint: "search with a few words" },
      );
    }
    const request = {
      query,
      limit: validateLimit(options.limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT),
      tags: validateTags(options.tags),
      vector:
        options.vector === undefined
          ? undefined
          : validateVector(options.vector, this.#dimensions, "query vector"),
    };
    return this.#guard.read(() => this.#search.search(request));
  }

  async setVector(id: string, vector: Float32Array): Promise<void> {
    requireIdString(id);
    validateVector(vector, this.#dimensions);
    this.#guard.transaction(() => {
      const row = this.#tables.byId(id);
      if (!row) {
        throw new OpenClawError("OC_ERR_NOT_FOUND", `no memory with id "${id}"`, {
          hint: "it may have been forgotten meanwhile; skip it",
        });
      }
      this.#tables.writeVector(row.doc_id, row.has_vector === 1, vector);
      if (this.#mirror)
        this.#outbox.enqueueUpsert(rowToRecord(row), vectorToBlob(vector), new Date().toISOString());
    });
  }

  async withoutVector(limit: number): Promise<MemoryRecord[]> {
    const bounded = validateLimit(limit, 100, MAX_BATCH);
    return this.#guard.read(() => this.#tables.withoutVector(bounded)).map(rowToRecord);
  }

  /**
   * The embedding model changed: drops every vector (including those waiting in the outbox) and
   * recreates the vector table for `dimensions`. Memories then show up in `withoutVector`.
   */
  async resetVectors(dimensions: number): Promise<void> {
    validateDimensions(dimensions);
    requireVectorExtension(this.#vectorExtension, this.#path);
    this.#guard.transaction(() => {
      createVectorTable(this.#db, dimensions);
      this.#tables.vectorTableRecreated();
      this.#outbox.clearVectors();
    });
    this.#dimensions = dimensions;
    this.#search.forgetVectorStatements();
  }

  async cachedEmbedding(model: string, contentHash: string): Promise<Float32Array | undefined> {
    return this.#guard.read(() => this.#cache.get(model, contentHash));
  }

  async cacheEmbedding(model: string, contentHash: string, vector: Float32Array): Promise<void> {
    this.#guard.read(() => this.#cache.put(model, contentHash, vector));
  }

  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    const bounded = validateLimit(limit, 100, MAX_BATCH);
    return this.#guard.read(() => this.#outbox.pending(bounded));
  }

  async ackOutbox(seqs: number[]): Promise<void> {
    if (!Array.isArray(seqs) || !seqs.every((seq) => Number.isSafeInteger(seq))) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "ackOutbox takes an array of outbox seq numbers", {
        hint: "pass the seq of each entry that reached the external index",
      });
    }
    if (seqs.length > 0) this.#guard.transaction(() => this.#outbox.ack(seqs));
  }

  async outboxDepth(): Promise<number> {
    return this.#guard.read(() => this.#outbox.depth());
  }

  async oldestPendingAt(): Promise<string | undefined> {
    return this.#guard.read(() => this.#outbox.oldestPendingAt());
  }

  async enqueueAll(): Promise<number> {
    return this.#guard.transaction(() =>
      this.#outbox.enqueueAll(this.#dimensions !== undefined, new Date().toISOString()),
    );
  }

  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    try {
      if (this.#guard.corruption === undefined) this.#db.exec("PRAGMA optimize");
    } catch {
      // Closing matters more than optimizing: a damaged file may refuse even this.
    } finally {
      this.#keywordIndex.close();
      this.#db.close();
    }
  }

  #upsert(
    input: ValidMemoryInput,
    vector: Float32Array | undefined,
    now: string,
    createdAt = now,
  ): MemoryRecord {
    const written = this.#tables.upsert(input, vector, now, this.#dimensions !== undefined, createdAt);
    if (this.#mirror) this.#outbox.enqueueUpsert(written.record, written.vector, now);
    return written.record;
  }

  #remove(row: MemoryRow, now: string): void {
    this.#tables.remove(row);
    if (this.#mirror) this.#outbox.enqueueDelete(row.id, now);
  }
}

function requireIdString(id: unknown): void {
  if (typeof id !== "string") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "memory id must be a string", {
      hint: "pass the memory's id",
    });
  }
}

/** A batch is an array of at most MAX_BATCH items; anything else is refused whole. */
function boundedBatch(items: unknown, what: string, noun: string, hint: string): void {
  if (!Array.isArray(items) || items.length > MAX_BATCH) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `${what} of at most ${MAX_BATCH} ${noun}`, { hint });
  }
}
