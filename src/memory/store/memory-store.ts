import type { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import { corruptionReason, corruptStoreError, integrityProblem, isCorruption } from "./corruption.js";
import { EmbeddingCache } from "./embedding-cache.js";
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
import { MemoryOutbox } from "./outbox.js";
import { createVectorTable, storedVectorDimensions } from "./schema.js";
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

const DEFAULT_SEARCH_LIMIT = 8;
const MAX_SEARCH_LIMIT = 100;
const MAX_BATCH = 10_000;
const RESTORE_BATCH = 1000;

/**
 * One agent's long-term memory in one SQLite file: the memories, an FTS5 keyword index, a
 * sqlite-vec vector index, an embedding cache and the outbox that mirrors changes to Qdrant.
 * Every write and its outbox entries commit in one transaction, so what is acknowledged here is
 * durable (WAL, synchronous=FULL) and will reach the external index even after a crash.
 */
export class MemoryStore {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #tables: MemoryTables;
  readonly #outbox: MemoryOutbox;
  readonly #mirror: boolean;
  readonly #cache: EmbeddingCache;
  readonly #search: MemorySearch;
  readonly #vectorExtension: boolean;
  readonly #onCorrupt: ((reason: string) => void) | undefined;
  #dimensions: number | undefined;
  /** Set once SQLite said the file is damaged: from then on every call is refused. */
  #corruption: string | undefined;

  static open(path: string, options: MemoryStoreOptions = {}): MemoryStore {
    const requested = options.dimensions === undefined ? undefined : validateDimensions(options.dimensions);
    const { db, vectorExtension } = openMemoryDatabase(path);
    try {
      return new MemoryStore(db, path, requested, vectorExtension, options.outbox ?? true, options.onCorrupt);
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
    mirror: boolean,
    onCorrupt: ((reason: string) => void) | undefined,
  ) {
    this.#onCorrupt = onCorrupt;
    this.#mirror = mirror;
    this.#db = db;
    this.#path = path;
    this.#vectorExtension = vectorExtension;
    let stored = storedVectorDimensions(db);
    if (stored === undefined && requested !== undefined) {
      this.#requireVectorExtension();
      // Checked again under the write lock: another process may be creating the table right now.
      stored = this.#transaction(() => {
        const locked = storedVectorDimensions(db);
        if (locked === undefined) createVectorTable(db, requested);
        return locked ?? requested;
      });
    }
    if (stored !== undefined && requested !== undefined && stored !== requested) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `memory store ${path} holds ${stored}-dimension vectors but the embedder produces ${requested}`,
        {
          hint: "the embedding model changed: open the store without dimensions, call resetVectors() with the new size and re-embed",
          details: { path, storedDimensions: stored, requestedDimensions: requested },
        },
      );
    }
    const hasVectorTable = stored !== undefined || requested !== undefined;
    if (hasVectorTable) this.#requireVectorExtension();
    this.#dimensions = requested;
    this.#tables = new MemoryTables(db, hasVectorTable);
    this.#outbox = new MemoryOutbox(db);
    this.#cache = new EmbeddingCache(db);
    this.#search = new MemorySearch(db);
  }

  /** Vector size of the configured embedder; undefined when memory is keyword-only. */
  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  /** What SQLite said about the damage, once a statement found the file corrupt. */
  get corruption(): string | undefined {
    return this.#corruption;
  }

  /** Runs `PRAGMA quick_check` now; a problem marks the store corrupt (and is returned). */
  checkIntegrity(): string | undefined {
    const problem = this.#read(() => integrityProblem(this.#db));
    if (problem) this.#markCorrupt(problem);
    return problem;
  }

  /**
   * Puts back memories recovered from elsewhere (a damaged copy of this store, Qdrant) with their
   * ids and times. What no longer validates (a torn row) is skipped and counted, not thrown.
   */
  restore(memories: RestoredMemory[]): { restored: number; invalid: number } {
    const valid: {
      input: ValidMemoryInput;
      vector: Float32Array | undefined;
      createdAt: string;
      updatedAt: string;
    }[] = [];
    let invalid = 0;
    for (const memory of memories) {
      try {
        const input = validateMemoryInput({
          id: memory.id,
          text: memory.text,
          tags: memory.tags,
          source: memory.source,
        });
        const vector =
          memory.vector !== undefined && memory.vector.length === this.#dimensions
            ? validateVector(memory.vector, this.#dimensions)
            : undefined;
        const createdAt = validTime(memory.createdAt);
        valid.push({ input, vector, createdAt, updatedAt: validTime(memory.updatedAt, createdAt) });
      } catch {
        invalid += 1;
      }
    }
    for (let start = 0; start < valid.length; start += RESTORE_BATCH) {
      this.#transaction(() => {
        for (const { input, vector, createdAt, updatedAt } of valid.slice(start, start + RESTORE_BATCH)) {
          this.#upsert(input, vector, updatedAt, createdAt);
        }
      });
    }
    return { restored: valid.length, invalid };
  }

  add(input: MemoryInput, vector?: Float32Array): MemoryRecord {
    return this.addMany([{ ...input, vector }])[0]!;
  }

  /** All or nothing: one invalid input refuses the whole batch before anything is written. */
  addMany(inputs: MemoryInputWithVector[]): MemoryRecord[] {
    if (!Array.isArray(inputs) || inputs.length > MAX_BATCH) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `addMany takes an array of at most ${MAX_BATCH} memories`,
        {
          hint: "split the batch",
        },
      );
    }
    const valid = inputs.map((input) => ({
      input: validateMemoryInput(input),
      vector: input.vector === undefined ? undefined : validateVector(input.vector, this.#dimensions),
    }));
    if (valid.length === 0) return [];
    return this.#transaction(() => {
      const now = new Date().toISOString();
      return valid.map(({ input, vector }) => this.#upsert(input, vector, now));
    });
  }

  /**
   * Re-indexes one workspace file: every memory whose source path is `path` is deleted and the
   * chunks are added in its place, atomically, so a search never sees the file half re-indexed.
   */
  replaceSource(path: string, chunks: SourceChunk[]): { added: number; removed: number } {
    validateSourcePath(path);
    if (!Array.isArray(chunks) || chunks.length > MAX_BATCH) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `replaceSource takes an array of at most ${MAX_BATCH} chunks`,
        {
          hint: "split the file into fewer, larger chunks",
        },
      );
    }
    const valid = chunks.map((chunk) => ({
      text: validateText(chunk?.text, "chunk text"),
      vector: chunk.vector === undefined ? undefined : validateVector(chunk.vector, this.#dimensions),
    }));
    return this.#transaction(() => {
      const now = new Date().toISOString();
      const old = this.#tables.byPath(path);
      for (const row of old) this.#remove(row, now);
      for (const chunk of valid) {
        this.#upsert({ id: undefined, text: chunk.text, tags: [], source: { path } }, chunk.vector, now);
      }
      return { added: valid.length, removed: old.length };
    });
  }

  /** Deletes a memory from every index; false when there was none with that id. */
  forget(id: string): boolean {
    requireIdString(id);
    return this.#transaction(() => {
      const row = this.#tables.byId(id);
      if (!row) return false;
      this.#remove(row, new Date().toISOString());
      return true;
    });
  }

  get(id: string): MemoryRecord | undefined {
    requireIdString(id);
    const row = this.#read(() => this.#tables.byId(id));
    return row ? rowToRecord(row) : undefined;
  }

  count(): number {
    return this.#read(() => this.#tables.count());
  }

  /**
   * Hybrid when a query vector is given (keyword and vector lists fused by reciprocal rank),
   * keyword-only without one; `mode` says which ran so callers can tell the user.
   */
  search(query: string, options: SearchOptions = {}): SearchResult {
    if (typeof query !== "string" || Buffer.byteLength(query, "utf8") > MAX_MEMORY_TEXT_BYTES) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `search query must be a string of at most ${MAX_MEMORY_TEXT_BYTES} bytes`,
        {
          hint: "search with a few words",
        },
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
    return this.#read(() => this.#search.search(request));
  }

  /** Stores a (re-)computed embedding for an existing memory and enqueues the upsert. */
  setVector(id: string, vector: Float32Array): void {
    requireIdString(id);
    validateVector(vector, this.#dimensions);
    this.#transaction(() => {
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

  /** Memories that still need an embedding, oldest first. */
  withoutVector(limit: number): MemoryRecord[] {
    const bounded = validateLimit(limit, 100, MAX_BATCH);
    return this.#read(() => this.#tables.withoutVector(bounded)).map(rowToRecord);
  }

  /**
   * The embedding model changed: drops every vector (including those waiting in the outbox) and
   * recreates the vector table for `dimensions`. Memories then show up in `withoutVector`.
   */
  resetVectors(dimensions: number): void {
    validateDimensions(dimensions);
    this.#requireVectorExtension();
    this.#transaction(() => {
      createVectorTable(this.#db, dimensions);
      this.#tables.vectorTableRecreated();
      this.#outbox.clearVectors();
    });
    this.#dimensions = dimensions;
    this.#search.forgetVectorStatements();
  }

  cachedEmbedding(model: string, contentHash: string): Float32Array | undefined {
    return this.#read(() => this.#cache.get(model, contentHash));
  }

  cacheEmbedding(model: string, contentHash: string, vector: Float32Array): void {
    this.#read(() => this.#cache.put(model, contentHash, vector));
  }

  /** Entries not yet acknowledged, oldest first. */
  pendingOutbox(limit: number): OutboxEntry[] {
    const bounded = validateLimit(limit, 100, MAX_BATCH);
    return this.#read(() => this.#outbox.pending(bounded));
  }

  ackOutbox(seqs: number[]): void {
    if (!Array.isArray(seqs) || !seqs.every((seq) => Number.isSafeInteger(seq))) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "ackOutbox takes an array of outbox seq numbers", {
        hint: "pass the seq of each entry that reached the external index",
      });
    }
    if (seqs.length > 0) this.#transaction(() => this.#outbox.ack(seqs));
  }

  outboxDepth(): number {
    return this.#read(() => this.#outbox.depth());
  }

  oldestPendingAt(): string | undefined {
    return this.#read(() => this.#outbox.oldestPendingAt());
  }

  /** Resync: enqueues an upsert for every memory (for a new or wiped external index). */
  enqueueAll(): number {
    return this.#transaction(() =>
      this.#outbox.enqueueAll(this.#dimensions !== undefined, new Date().toISOString()),
    );
  }

  close(): void {
    if (!this.#db.isOpen) return;
    try {
      if (this.#corruption === undefined) this.#db.exec("PRAGMA optimize");
    } catch {
      // Closing matters more than optimizing: a damaged file may refuse even this.
    } finally {
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

  #requireVectorExtension(): void {
    if (!this.#vectorExtension) {
      throw new OpenClawError(
        "OC_ERR_INTERNAL",
        "the sqlite-vec extension could not be loaded on this platform",
        {
          hint: "reinstall dependencies (npm ci) so the sqlite-vec binary for this platform is present, or run memory without an embedder",
          details: { path: this.#path },
        },
      );
    }
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout) instead of deadlocking. */
  #transaction<T>(work: () => T): T {
    return this.#read(() => {
      this.#db.exec("BEGIN IMMEDIATE");
      try {
        const result = work();
        this.#db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  #markCorrupt(reason: string): void {
    if (this.#corruption !== undefined) return;
    this.#corruption = reason;
    this.#onCorrupt?.(reason);
  }

  /**
   * Every statement runs through here. SQLite reports damage only when a statement reads a
   * damaged page (and may still accept writes elsewhere), so the first such error marks the
   * whole store: writes to a file known to be damaged would only be lost again at the repair.
   */
  #read<T>(work: () => T): T {
    if (this.#corruption !== undefined) throw corruptStoreError(this.#path, this.#corruption);
    if (!this.#db.isOpen) {
      throw new OpenClawError("OC_ERR_INTERNAL", `memory store ${this.#path} is closed`, {
        hint: "open the store again",
      });
    }
    try {
      return work();
    } catch (error) {
      if (error instanceof OpenClawError) throw error;
      if (isCorruption(error)) {
        const reason = corruptionReason(error);
        this.#markCorrupt(reason);
        throw corruptStoreError(this.#path, reason, error);
      }
      throw new OpenClawError("OC_ERR_INTERNAL", `memory store ${this.#path}: ${(error as Error).message}`, {
        hint: "retry; if it persists, check the disk and the file's permissions",
        details: { path: this.#path },
        cause: error,
      });
    }
  }
}

function validTime(value: unknown, fallback = new Date().toISOString()): string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : fallback;
}

function requireIdString(id: unknown): void {
  if (typeof id !== "string") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "memory id must be a string", {
      hint: "pass the memory's id",
    });
  }
}
