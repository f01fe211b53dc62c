import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { MemoryRecord, OutboxEntry } from "./types.js";
import { blobToVector } from "./vector-blob.js";

interface OutboxRow {
  seq: number;
  op: "upsert" | "delete";
  memory_id: string;
  payload: string | null;
  vector: Uint8Array | null;
  enqueued_at: string;
}

/**
 * The transactional outbox: every change to a memory appends an entry here inside the same SQLite
 * transaction, so the external index (Qdrant) can be brought up to date after any crash by
 * replaying the entries still pending. Callers must already hold a write transaction.
 */
export class MemoryOutboxTable {
  readonly #insert: StatementSync;
  readonly #pending: StatementSync;
  readonly #ack: StatementSync;
  readonly #depth: StatementSync;
  readonly #oldest: StatementSync;
  readonly #clearVectors: StatementSync;
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      "INSERT INTO outbox (op, memory_id, payload, vector, enqueued_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#pending = db.prepare(
      "SELECT seq, op, memory_id, payload, vector, enqueued_at FROM outbox ORDER BY seq LIMIT ?",
    );
    this.#ack = db.prepare("DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))");
    this.#depth = db.prepare("SELECT count(*) AS depth FROM outbox");
    this.#oldest = db.prepare("SELECT enqueued_at FROM outbox ORDER BY seq LIMIT 1");
    this.#clearVectors = db.prepare("UPDATE outbox SET vector = NULL WHERE vector IS NOT NULL");
  }

  enqueueUpsert(record: MemoryRecord, vector: Uint8Array | undefined, now: string): void {
    this.#insert.run("upsert", record.id, JSON.stringify(record), vector ?? null, now);
  }

  enqueueDelete(memoryId: string, now: string): void {
    this.#insert.run("delete", memoryId, null, null, now);
  }

  /**
   * One upsert per memory, oldest first, built in SQL so a resync of a large store is one
   * statement. The payload has the same fields as `JSON.stringify(record)`.
   */
  enqueueAll(withVectors: boolean, now: string): number {
    const vector = withVectors
      ? "(SELECT embedding FROM memory_vectors WHERE rowid = m.doc_id AND m.has_vector = 1)"
      : "NULL";
    const result = this.#db
      .prepare(
        `INSERT INTO outbox (op, memory_id, payload, vector, enqueued_at)
         SELECT 'upsert', m.id,
           json_object('id', m.id, 'text', m.text, 'tags', json(m.tags), 'source', json(m.source),
                       'createdAt', m.created_at, 'updatedAt', m.updated_at),
           ${vector}, ?
         FROM memories m ORDER BY m.doc_id`,
      )
      .run(now);
    return Number(result.changes);
  }

  /** Pending vectors were computed by the previous embedding model: they must not reach the new index. */
  clearVectors(): void {
    this.#clearVectors.run();
  }

  pending(limit: number): OutboxEntry[] {
    return (this.#pending.all(limit) as unknown as OutboxRow[]).map((row) => {
      const entry: OutboxEntry = {
        seq: row.seq,
        op: row.op,
        memoryId: row.memory_id,
        enqueuedAt: row.enqueued_at,
      };
      if (row.payload !== null) entry.record = JSON.parse(row.payload) as MemoryRecord;
      if (row.vector !== null) entry.vector = Array.from(blobToVector(row.vector));
      return entry;
    });
  }

  ack(seqs: number[]): void {
    this.#ack.run(JSON.stringify(seqs));
  }

  depth(): number {
    return Number((this.#depth.get() as { depth: number }).depth);
  }

  oldestPendingAt(): string | undefined {
    return (this.#oldest.get() as { enqueued_at: string } | undefined)?.enqueued_at;
  }
}
