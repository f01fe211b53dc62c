import type { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";

/**
 * Each entry upgrades the schema by one version, inside the opening transaction. Append only:
 * a shipped migration is never edited, because files in the field already ran it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  -- doc_id is the rowid shared with the FTS5 and vec0 indexes. It is declared (not the implicit
  -- rowid) because VACUUM may renumber implicit rowids, which would silently detach the indexes.
  CREATE TABLE memories (
    doc_id INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT '{}',
    source_path TEXT GENERATED ALWAYS AS (json_extract(source, '$.path')) VIRTUAL,
    has_vector INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX memories_by_source_path ON memories(source_path) WHERE source_path IS NOT NULL;
  CREATE INDEX memories_without_vector ON memories(doc_id) WHERE has_vector = 0;

  CREATE TABLE memory_tags (
    tag TEXT NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES memories(doc_id) ON DELETE CASCADE,
    PRIMARY KEY (tag, doc_id)
  ) WITHOUT ROWID;
  CREATE INDEX memory_tags_by_doc ON memory_tags(doc_id);

  -- External-content FTS5: the text lives once, in memories; triggers keep the index in step.
  CREATE VIRTUAL TABLE memories_fts USING fts5(
    text, content = 'memories', content_rowid = 'doc_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, text) VALUES (new.doc_id, new.text);
  END;
  CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.doc_id, old.text);
  END;
  CREATE TRIGGER memories_fts_update AFTER UPDATE OF text ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, text) VALUES ('delete', old.doc_id, old.text);
    INSERT INTO memories_fts (rowid, text) VALUES (new.doc_id, new.text);
  END;

  CREATE TABLE embedding_cache (
    model TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (model, content_hash)
  ) WITHOUT ROWID;

  -- AUTOINCREMENT: a seq is never reused after acknowledged entries are deleted, so a syncer
  -- that remembers the last seq it saw can never skip a newer entry.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    memory_id TEXT NOT NULL,
    payload TEXT,
    vector BLOB,
    enqueued_at TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
const VECTOR_DIMENSIONS_KEY = "vector_dimensions";
const MMAP_BYTES = 1 << 30;

/** Durability first: an acknowledged write is on disk (WAL + FULL sync) before the call returns. */
export function configureConnection(db: DatabaseSync): void {
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Reads through a memory map instead of a read() per page. vec0 keeps vectors in 1.5 MB chunk
  // blobs and reaching one vector walks the blob's overflow pages: on bench/memory (100 000
  // vectors) 128 exact-score lookups took 30 ms with read() and 2.4 ms mapped. Address space
  // only: the pages are the OS page cache's, not this process's heap.
  db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`);
}

export function migrate(db: DatabaseSync, path: string): void {
  const current = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  if (current > SCHEMA_VERSION) {
    throw new OpenClawError(
      "OC_ERR_INTERNAL",
      `memory store ${path} has schema version ${current}; this gateway understands up to ${SCHEMA_VERSION}`,
      { hint: "upgrade the gateway, or restore the memory file from before the newer version ran" },
    );
  }
  if (current === SCHEMA_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Re-read under the write lock: another process may have migrated meanwhile.
    const locked = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
    for (let version = locked; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** Size of the vec0 table, or undefined when the file has none. */
export function storedVectorDimensions(db: DatabaseSync): number | undefined {
  const row = db.prepare("SELECT value FROM store_meta WHERE key = ?").get(VECTOR_DIMENSIONS_KEY) as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : undefined;
}

/**
 * (Re)creates the vec0 table for `dimensions`. Cosine distance because embedding models are
 * trained for it and their outputs are not always unit length. Call inside a transaction.
 */
export function createVectorTable(db: DatabaseSync, dimensions: number): void {
  db.exec("DROP TABLE IF EXISTS memory_vectors");
  db.exec(
    `CREATE VIRTUAL TABLE memory_vectors USING vec0(embedding float[${dimensions}] distance_metric=cosine)`,
  );
  db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)").run(
    VECTOR_DIMENSIONS_KEY,
    String(dimensions),
  );
}
