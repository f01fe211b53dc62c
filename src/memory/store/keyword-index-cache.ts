import type { DatabaseSync } from "node:sqlite";
import { FileDerived } from "./file-derived.js";
import { KeywordIndex } from "./keyword-index.js";
import { KeywordTokenizer, readVarint } from "./keyword-tokenizer.js";

// Doc ids index typed arrays; a file whose ids are far sparser than its rows (never made by this
// store, which numbers them densely) is left to FTS5 rather than sized to its largest id.
const MAX_DOC_ID_SLACK = 1 << 20;

/**
 * Keeps one `KeywordIndex` in step with memories_fts, as VectorIndexCache does for vectors: built
 * on the first keyword search from FTS5's own tokens (fts5vocab) and sizes, then updated by this
 * connection's writes with the text it writes. Dropped, to be rebuilt, whenever it may be wrong: a
 * transaction rolled back, another connection committed (`PRAGMA data_version` moved), or an
 * update found the index out of step with the text.
 */
export class KeywordIndexCache {
  readonly #db: DatabaseSync;
  readonly #index: FileDerived<KeywordIndex>;
  #tokenizer: KeywordTokenizer | undefined;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#index = new FileDerived(db, () => this.#build());
  }

  /** The index, current with the file; undefined when the file's doc ids do not suit one. */
  index(): KeywordIndex | undefined {
    return this.#index.current();
  }

  /** The query words' FTS5 terms; undefined when FTS5 would match one as a phrase. */
  queryTerms(words: readonly string[]): string[] | undefined {
    return this.tokenizer().queryTerms(words);
  }

  /** A memory's text was written (inserted, or replaced `previous`). */
  put(docId: number, text: string, previous?: string): void {
    if (this.#index.kept() === undefined || text === previous) return;
    if (previous !== undefined) this.remove(docId, previous);
    const index = this.#index.kept();
    if (index !== undefined && !index.add(docId, this.tokenizer().count(text))) this.drop();
  }

  remove(docId: number, text: string): void {
    const index = this.#index.kept();
    if (index !== undefined && !index.remove(docId, this.tokenizer().count(text))) this.drop();
  }

  /** Forget the index; the next search rebuilds it from the file. */
  drop(): void {
    this.#index.drop();
  }

  tokenizer(): KeywordTokenizer {
    this.#tokenizer ??= new KeywordTokenizer();
    return this.#tokenizer;
  }

  close(): void {
    this.#tokenizer?.close();
    this.#tokenizer = undefined;
    this.#index.drop();
  }

  /** One read transaction around the build: its several statements then see one snapshot. */
  #build(): KeywordIndex | undefined {
    if (this.#db.isTransaction) return this.#read();
    this.#db.exec("BEGIN");
    try {
      return this.#read();
    } finally {
      // A failed read may have ended the transaction already; committing nothing would hide why.
      if (this.#db.isTransaction) this.#db.exec("COMMIT");
    }
  }

  #read(): KeywordIndex | undefined {
    const db = this.#db;
    // The totals bm25 uses (fts5 "averages" record, id 1): row count, then tokens per column.
    const record = db.prepare("SELECT block FROM memories_fts_data WHERE id = 1").get() as
      | { block: Uint8Array }
      | undefined;
    const rows = record === undefined ? { value: 0, next: 0 } : readVarint(record.block, 0);
    const tokens = record === undefined ? 0 : readVarint(record.block, rows.next).value;
    const maxDocId = Number(
      (db.prepare("SELECT coalesce(max(id), 0) AS max FROM memories_fts_docsize").get() as { max: number })
        .max,
    );
    if (maxDocId > rows.value * 4 + MAX_DOC_ID_SLACK) return undefined;
    const index = new KeywordIndex(rows.value, tokens);
    const sizes = db.prepare("SELECT id, sz FROM memories_fts_docsize");
    sizes.setReturnArrays(true);
    for (const [id, size] of sizes.iterate() as Iterable<[number, Uint8Array]>) {
      index.setLength(id, readVarint(size, 0).value);
    }
    db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.memories_fts_rows USING fts5vocab(main, memories_fts, row)",
    );
    db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.memories_fts_instances USING fts5vocab(main, memories_fts, instance)",
    );
    const docCounts = db.prepare("SELECT term, doc FROM temp.memories_fts_rows");
    docCounts.setReturnArrays(true);
    const sized = new Map(docCounts.all() as unknown as [string, number][]);
    // Instances come ordered by term, then doc, then offset: a run of equal (term, doc) is one
    // posting whose length is the term's frequency in that doc.
    const instances = db.prepare("SELECT term, doc FROM temp.memories_fts_instances");
    instances.setReturnArrays(true);
    let term = "";
    let postings: ReturnType<KeywordIndex["startTerm"]> | undefined;
    let doc = -1;
    let freq = 0;
    for (const [rowTerm, rowDoc] of instances.iterate() as Iterable<[string, number]>) {
      if (rowTerm === term && rowDoc === doc) {
        freq++;
        continue;
      }
      if (postings !== undefined && freq > 0) postings.append(doc, freq);
      if (rowTerm !== term || postings === undefined) {
        term = rowTerm;
        postings = index.startTerm(term, sized.get(term) ?? 1);
      }
      doc = rowDoc;
      freq = 1;
    }
    if (postings !== undefined && freq > 0) postings.append(doc, freq);
    return index;
  }
}
