import { copyFileSync, existsSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import type { MemorySource, RestoredMemory } from "../store/index.js";
import { readReadableRows, type UnreadableRange } from "./readable-rows.js";

export interface SalvagedEmbedding {
  model: string;
  contentHash: string;
  vector: Float32Array;
}

/** What could still be read from a damaged memory file. */
export interface Salvage {
  /** Memories written by agents (memory_store), from the memories table and the outbox. */
  memories: RestoredMemory[];
  /** Rows read from the memories table (agent memories and workspace chunks). */
  memoryRows: number;
  /** Agent memories found only in the outbox (their row was on a damaged page). */
  fromOutbox: number;
  /** Chunks of workspace files: not restored, the files are indexed again instead. */
  workspaceChunks: number;
  /** Rows that were read but no longer make sense (torn JSON): dropped. */
  tornRows: number;
  /** Cached embeddings, so re-embedding the restored memories costs no provider calls. */
  embeddings: SalvagedEmbedding[];
  unreadable: UnreadableRange[];
}

interface MemoryRowText {
  id: unknown;
  text: unknown;
  tags: unknown;
  source: unknown;
  created_at: unknown;
  updated_at: unknown;
}

function parseJson<T>(text: unknown): T | undefined {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function toMemory(row: MemoryRowText): RestoredMemory | undefined {
  const tags = parseJson<unknown>(row.tags);
  const source = parseJson<unknown>(row.source);
  if (typeof row.id !== "string" || typeof row.text !== "string") return undefined;
  if (!Array.isArray(tags) || typeof source !== "object" || source === null) return undefined;
  return {
    id: row.id,
    text: row.text,
    tags: tags as string[],
    source: source as MemorySource,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

/**
 * Reads what it can of a damaged memory file, best effort and table by table: the memories
 * (skipping damaged pages, see readReadableRows), the outbox (whose pending upserts carry whole
 * records, some of them for rows lost with a page) and the embedding cache. It works on a copy
 * (with the WAL, so recent writes count), because SQLite may write to a file it opens and the
 * damaged original is kept untouched for whoever wants to look at it.
 */
export function salvageStore(damagedPath: string): Salvage {
  const salvage: Salvage = {
    memories: [],
    memoryRows: 0,
    fromOutbox: 0,
    workspaceChunks: 0,
    tornRows: 0,
    embeddings: [],
    unreadable: [],
  };
  const copy = `${damagedPath}.salvage`;
  const cleanup = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${copy}${suffix}`, { force: true });
  };
  cleanup();
  let db: DatabaseSync | undefined;
  try {
    copyFileSync(damagedPath, copy);
    if (existsSync(`${damagedPath}-wal`)) copyFileSync(`${damagedPath}-wal`, `${copy}-wal`);
    db = new DatabaseSync(copy);
    readInto(db, salvage);
  } catch (error) {
    salvage.unreadable.push({
      table: "(file)",
      after: Number.MIN_SAFE_INTEGER,
      error: (error as Error).message,
    });
  } finally {
    try {
      db?.close();
    } finally {
      cleanup();
    }
  }
  return salvage;
}

function readInto(db: DatabaseSync, salvage: Salvage): void {
  const byId = new Map<string, RestoredMemory>();
  salvage.unreadable.push(
    ...readReadableRows(
      db,
      "memories",
      "doc_id, id, text, tags, source, created_at, updated_at",
      "doc_id",
      (row) => {
        salvage.memoryRows += 1;
        const memory = toMemory(row as unknown as MemoryRowText);
        if (!memory) salvage.tornRows += 1;
        else if (memory.source.path !== undefined) salvage.workspaceChunks += 1;
        else byId.set(memory.id, memory);
      },
    ),
  );
  // The latest pending change per memory: an upsert brings back a record lost with its page.
  const latest = new Map<string, RestoredMemory | "deleted">();
  salvage.unreadable.push(
    ...readReadableRows(db, "outbox", "seq, op, memory_id, payload", "seq", (row) => {
      if (typeof row.memory_id !== "string") return;
      if (row.op === "delete") {
        latest.set(row.memory_id, "deleted");
        return;
      }
      const record = parseJson<MemoryRowText & { createdAt?: unknown; updatedAt?: unknown }>(row.payload);
      const memory = record
        ? toMemory({
            ...record,
            tags: JSON.stringify(record.tags),
            source: JSON.stringify(record.source),
            created_at: record.createdAt,
            updated_at: record.updatedAt,
          })
        : undefined;
      if (memory && memory.source.path === undefined) latest.set(row.memory_id, memory);
    }),
  );
  for (const [id, change] of latest) {
    if (change === "deleted") byId.delete(id);
    else if (!byId.has(id)) {
      byId.set(id, change);
      salvage.fromOutbox += 1;
    }
  }
  salvage.memories = [...byId.values()];
  try {
    for (const row of db.prepare("SELECT model, content_hash, vector FROM embedding_cache").iterate()) {
      const { model, content_hash: contentHash, vector } = row as Record<string, unknown>;
      if (typeof model !== "string" || typeof contentHash !== "string" || !(vector instanceof Uint8Array))
        continue;
      if (vector.byteLength % 4 !== 0) continue;
      const copied = new Uint8Array(vector);
      salvage.embeddings.push({
        model,
        contentHash,
        vector: new Float32Array(copied.buffer, 0, copied.byteLength / 4),
      });
    }
  } catch (error) {
    // A WITHOUT ROWID table has no integer key to skip ahead by: keep what was read.
    salvage.unreadable.push({
      table: "embedding_cache",
      after: salvage.embeddings.length,
      error: (error as Error).message,
    });
  }
}
