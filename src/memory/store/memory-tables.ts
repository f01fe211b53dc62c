import type { DatabaseSync, StatementSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import type { KeywordIndexCache } from "./keyword-index-cache.js";
import { newMemoryId } from "./memory-id.js";
import type { ValidMemoryInput } from "./memory-input.js";
import { MEMORY_COLUMNS, type MemoryRow } from "./memory-row.js";
import type { MemoryRecord } from "./types.js";
import { vectorToBlob } from "./vector-blob.js";
import type { VectorIndexCache } from "./vector-index-cache.js";

interface VectorStatements {
  insert: StatementSync;
  remove: StatementSync;
  read: StatementSync;
}

export interface UpsertResult {
  record: MemoryRecord;
  /** The memory's vector after the write, as a blob, for the outbox. */
  vector: Uint8Array | undefined;
}

/**
 * Row-level writes to the memories, their tags and the vector index (the FTS5 index follows by
 * trigger). Validation, transactions and the outbox are the store's job; these methods assume
 * valid input and a transaction already open.
 */
export class MemoryTables {
  readonly #db: DatabaseSync;
  readonly #byId: StatementSync;
  readonly #byPath: StatementSync;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #remove: StatementSync;
  readonly #setHasVector: StatementSync;
  readonly #insertTag: StatementSync;
  readonly #removeTags: StatementSync;
  readonly #withoutVector: StatementSync;
  readonly #count: StatementSync;
  #vectorStatements: VectorStatements | undefined;
  /** The file may hold a vector table even when no embedder is configured now; it is kept in step. */
  #hasVectorTable: boolean;
  readonly #vectorIndex: VectorIndexCache;
  readonly #keywordIndex: KeywordIndexCache;

  constructor(
    db: DatabaseSync,
    hasVectorTable: boolean,
    vectorIndex: VectorIndexCache,
    keywordIndex: KeywordIndexCache,
  ) {
    this.#db = db;
    this.#hasVectorTable = hasVectorTable;
    this.#vectorIndex = vectorIndex;
    this.#keywordIndex = keywordIndex;
    this.#byId = db.prepare(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = ?`);
    this.#byPath = db.prepare(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE source_path = ? ORDER BY doc_id`);
    this.#insert = db.prepare(
      `INSERT INTO memories (id, text, tags, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       RETURNING doc_id`,
    );
    this.#update = db.prepare(
      "UPDATE memories SET text = ?, tags = ?, source = ?, updated_at = ? WHERE doc_id = ?",
    );
    this.#remove = db.prepare("DELETE FROM memories WHERE doc_id = ?");
    this.#setHasVector = db.prepare("UPDATE memories SET has_vector = ? WHERE doc_id = ?");
    this.#insertTag = db.prepare("INSERT INTO memory_tags (tag, doc_id) VALUES (?, ?)");
    this.#removeTags = db.prepare("DELETE FROM memory_tags WHERE doc_id = ?");
    this.#withoutVector = db.prepare(
      `SELECT ${MEMORY_COLUMNS} FROM memories WHERE has_vector = 0 ORDER BY doc_id LIMIT ?`,
    );
    this.#count = db.prepare("SELECT count(*) AS count FROM memories");
  }

  byId(id: string): MemoryRow | undefined {
    return this.#byId.get(id) as MemoryRow | undefined;
  }

  byPath(path: string): MemoryRow[] {
    return this.#byPath.all(path) as unknown as MemoryRow[];
  }

  withoutVector(limit: number): MemoryRow[] {
    return this.#withoutVector.all(limit) as unknown as MemoryRow[];
  }

  count(): number {
    return Number((this.#count.get() as { count: number }).count);
  }

  /**
   * Inserts a memory, or replaces the one with the same id (keeping its `createdAt`). A replaced
   * memory keeps its vector only while its text is unchanged: a vector of other text would mislead
   * vector search. `includeKeptVector` says whether a kept vector is worth reading for the outbox.
   * `createdAt` is for a restored memory, which keeps the time it was first made.
   */
  upsert(
    input: ValidMemoryInput,
    vector: Float32Array | undefined,
    now: string,
    includeKeptVector: boolean,
    createdAt = now,
  ): UpsertResult {
    const id = input.id ?? newMemoryId();
    const tags = JSON.stringify(input.tags);
    const source = JSON.stringify(input.source);
    const existing = input.id === undefined ? undefined : this.byId(id);
    let docId: number;
    let outboxVector = vector === undefined ? undefined : vectorToBlob(vector);
    if (existing) {
      docId = existing.doc_id;
      this.#update.run(input.text, tags, source, now, docId);
      this.#keywordIndex.put(docId, input.text, existing.text);
      this.#removeTags.run(docId);
      const hadVector = existing.has_vector === 1;
      if (vector !== undefined) this.writeVector(docId, hadVector, vector);
      else if (hadVector && existing.text !== input.text) this.#removeVector(docId);
      else if (hadVector && includeKeptVector) outboxVector = this.#readVector(docId);
    } else {
      const inserted = this.#insert.get(id, input.text, tags, source, createdAt, now) as { doc_id: number };
      docId = Number(inserted.doc_id);
      this.#keywordIndex.put(docId, input.text);
      if (vector !== undefined) this.writeVector(docId, false, vector);
    }
    for (const tag of input.tags) this.#insertTag.run(tag, docId);
    const record: MemoryRecord = {
      id,
      text: input.text,
      tags: input.tags,
      source: input.source,
      createdAt: existing?.created_at ?? createdAt,
      updatedAt: now,
    };
    return { record, vector: outboxVector };
  }

  remove(row: MemoryRow): void {
    if (row.has_vector === 1) this.#removeVector(row.doc_id);
    // Tags go by ON DELETE CASCADE, the FTS5 entry by the delete trigger.
    this.#remove.run(row.doc_id);
    this.#keywordIndex.remove(row.doc_id, row.text);
  }

  writeVector(docId: number, replacing: boolean, vector: Float32Array): void {
    const statements = this.#vectors();
    // vec0 has no upsert: delete first.
    if (replacing) statements.remove.run(docId);
    statements.insert.run(docId, vectorToBlob(vector));
    this.#setHasVector.run(1, docId);
    this.#vectorIndex.put(docId, vector);
  }

  /** After `createVectorTable`: every memory lacks a vector and statements on the old table are stale. */
  vectorTableRecreated(): void {
    this.#db.exec("UPDATE memories SET has_vector = 0 WHERE has_vector = 1");
    this.#hasVectorTable = true;
    this.#vectorStatements = undefined;
    this.#vectorIndex.vectorTableRecreated();
  }

  #removeVector(docId: number): void {
    this.#vectors().remove.run(docId);
    this.#setHasVector.run(0, docId);
    this.#vectorIndex.remove(docId);
  }

  #readVector(docId: number): Uint8Array | undefined {
    return (this.#vectors().read.get(docId) as { embedding: Uint8Array } | undefined)?.embedding;
  }

  #vectors(): VectorStatements {
    if (!this.#hasVectorTable) {
      throw new OpenClawError("OC_ERR_INTERNAL", "this memory store has no vector table", {
        hint: "configure an embedding model (dimensions) for memory",
      });
    }
    // vec0 refuses a REAL rowid, and node:sqlite binds every JS number as REAL: hence the CAST.
    this.#vectorStatements ??= {
      insert: this.#db.prepare(
        "INSERT INTO memory_vectors (rowid, embedding) VALUES (CAST(? AS INTEGER), ?)",
      ),
      remove: this.#db.prepare("DELETE FROM memory_vectors WHERE rowid = CAST(? AS INTEGER)"),
      read: this.#db.prepare("SELECT embedding FROM memory_vectors WHERE rowid = CAST(? AS INTEGER)"),
    };
    return this.#vectorStatements;
  }
}
