import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { KeywordIndexCache } from "./keyword-index-cache.js";
import { keywordMatch, keywordWords } from "./keyword-query.js";
import { MEMORY_COLUMNS, type MemoryRow, rowToRecord } from "./memory-row.js";
import { type FusedCandidate, fuseRanks } from "./rank-fusion.js";
import type { SearchHit, SearchMode, SearchResult } from "./types.js";
import { vectorToBlob } from "./vector-blob.js";
import type { VectorIndexCache } from "./vector-index-cache.js";

/** Memories carrying every tag in `$tags` (a JSON array of `$tagCount` distinct tags). */
const TAGGED =
  "SELECT doc_id FROM memory_tags WHERE tag IN (SELECT value FROM json_each($tags)) GROUP BY doc_id HAVING count(*) = $tagCount";

// How deep each list is read before fusing: fusion needs more candidates than it returns, or a
// memory ranked moderately in both lists is never seen.
const HYBRID_DEPTH_FACTOR = 4;
const HYBRID_MIN_DEPTH = 32;

// Quantized candidate search, measured on bench/memory (100 000 random unit vectors, the hardest
// case for sign bits): a 4096-vector hamming shortlist keeps recall@10 ≈ 0.96 against the exact
// scan; 2048 gives ≈ 0.92. The int8 estimate then picks EXACT_FACTOR × k for exact scoring.
const HAMMING_SHORTLIST = 4096;
const EXACT_FACTOR = 4;
const EXACT_MIN = 64;

interface RankedRow {
  doc_id: number;
  rank: number;
}

export interface SearchRequest {
  query: string;
  limit: number;
  vector: Float32Array | undefined;
  tags: string[];
}

/** Keyword (FTS5 bm25), vector (vec0 KNN) and hybrid (reciprocal-rank fusion) search over one store. */
export class MemorySearch {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #vectorIndex: VectorIndexCache;
  readonly #keywordIndex: KeywordIndexCache;

  constructor(db: DatabaseSync, vectorIndex: VectorIndexCache, keywordIndex: KeywordIndexCache) {
    this.#db = db;
    this.#vectorIndex = vectorIndex;
    this.#keywordIndex = keywordIndex;
  }

  /** The vec0 table was dropped and recreated: statements prepared against it are stale. */
  forgetVectorStatements(): void {
    for (const key of this.#statements.keys()) if (key.startsWith("vector")) this.#statements.delete(key);
  }

  search(request: SearchRequest): SearchResult {
    const words = keywordWords(request.query);
    const match = keywordMatch(words);
    const mode: SearchMode =
      request.vector === undefined ? "keyword" : match === undefined ? "vector" : "hybrid";
    if (mode === "keyword") {
      if (match === undefined) return { hits: [], mode };
      const ranked = this.#keyword(words, match, request.limit, request.tags);
      return {
        hits: this.#hits(
          ranked.map((row, index) => ({ docId: row.doc_id, score: -row.rank, keywordRank: index + 1 })),
        ),
        mode,
      };
    }
    const vector = request.vector!;
    if (mode === "vector") {
      const ranked = this.#vector(vector, request.limit, request.tags);
      return {
        hits: this.#hits(
          ranked.map((row, index) => ({ docId: row.doc_id, score: 1 - row.rank, vectorRank: index + 1 })),
        ),
        mode,
      };
    }
    const depth = Math.max(request.limit * HYBRID_DEPTH_FACTOR, HYBRID_MIN_DEPTH);
    const keywordIds = this.#keyword(words, match!, depth, request.tags).map((row) => row.doc_id);
    const vectorIds = this.#vector(vector, depth, request.tags).map((row) => row.doc_id);
    return { hits: this.#hits(fuseRanks(keywordIds, vectorIds).slice(0, request.limit)), mode };
  }

  #keyword(words: string[], match: string, limit: number, tags: string[]): RankedRow[] {
    // The in-process index answers OR queries of single-token words exactly; words FTS5 reads as
    // phrases stay with FTS5.
    const terms = this.#keywordIndex.queryTerms(words);
    const index = terms === undefined ? undefined : this.#keywordIndex.index();
    if (index !== undefined) {
      const among = tags.length > 0 ? this.#tagged(tags) : undefined;
      return index.search(terms!, limit, among).map((hit) => ({ doc_id: hit.docId, rank: hit.rank }));
    }
    const statement = this.#statement(
      tags.length > 0 ? "keyword-tagged" : "keyword",
      `SELECT rowid AS doc_id, bm25(memories_fts) AS rank FROM memories_fts
       WHERE memories_fts MATCH $match ${tags.length > 0 ? `AND rowid IN (${TAGGED})` : ""}
       ORDER BY rank LIMIT $limit`,
    );
    return statement.all({ match, limit, ...tagParameters(tags) }) as unknown as RankedRow[];
  }

  /** Doc ids of the memories carrying every tag. */
  #tagged(tags: string[]): Set<number> {
    const statement = this.#statement("tagged", TAGGED);
    statement.setReturnArrays(true);
    const rows = statement.all(tagParameters(tags)) as unknown as [number][];
    return new Set(rows.map((row) => row[0]));
  }

  #vector(vector: Float32Array, limit: number, tags: string[]): RankedRow[] {
    // A tag filter narrows the scan already; sqlite-vec scores exactly what it lets through.
    const index = tags.length === 0 ? this.#vectorIndex.index() : undefined;
    if (index !== undefined)
      return this.#rescored(vector, index.candidates(vector, exactCount(limit), HAMMING_SHORTLIST), limit);
    const statement = this.#statement(
      tags.length > 0 ? "vector-tagged" : "vector",
      `SELECT rowid AS doc_id, distance AS rank FROM memory_vectors
       WHERE embedding MATCH $vector AND k = $limit ${tags.length > 0 ? `AND rowid IN (${TAGGED})` : ""}
       ORDER BY distance`,
    );
    return statement.all({
      vector: vectorToBlob(vector),
      limit,
      ...tagParameters(tags),
    }) as unknown as RankedRow[];
  }

  /** Exact cosine distances (sqlite-vec's own) for the quantized candidates: the ranking is exact among them. */
  #rescored(vector: Float32Array, docIds: number[], limit: number): RankedRow[] {
    const statement = this.#statement(
      "vector-exact",
      `SELECT rowid AS doc_id, vec_distance_cosine(embedding, $vector) AS rank FROM memory_vectors
       WHERE rowid = CAST($docId AS INTEGER)`,
    );
    const blob = vectorToBlob(vector);
    const ranked: RankedRow[] = [];
    for (const docId of docIds) {
      const row = statement.get({ vector: blob, docId }) as RankedRow | undefined;
      if (row) ranked.push(row);
    }
    return ranked.sort((a, b) => a.rank - b.rank || a.doc_id - b.doc_id).slice(0, limit);
  }

  /** Attaches records to ranked doc ids, keeping the ranking order. */
  #hits(ranked: FusedCandidate[]): SearchHit[] {
    if (ranked.length === 0) return [];
    const rows = this.#statement(
      "records",
      `SELECT ${MEMORY_COLUMNS} FROM memories WHERE doc_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ranked.map((entry) => entry.docId))) as unknown as MemoryRow[];
    const byDocId = new Map(rows.map((row) => [row.doc_id, row]));
    const hits: SearchHit[] = [];
    for (const entry of ranked) {
      const row = byDocId.get(entry.docId);
      if (!row) continue;
      const hit: SearchHit = { record: rowToRecord(row), score: entry.score };
      if (entry.keywordRank !== undefined) hit.keywordRank = entry.keywordRank;
      if (entry.vectorRank !== undefined) hit.vectorRank = entry.vectorRank;
      hits.push(hit);
    }
    return hits;
  }

  #statement(key: string, sql: string): StatementSync {
    let statement = this.#statements.get(key);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(key, statement);
    }
    return statement;
  }
}

function exactCount(limit: number): number {
  return Math.max(limit * EXACT_FACTOR, EXACT_MIN);
}

function tagParameters(tags: string[]): { tags?: string; tagCount?: number } {
  return tags.length > 0 ? { tags: JSON.stringify(tags), tagCount: tags.length } : {};
}
