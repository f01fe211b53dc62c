import type { DatabaseSync, StatementSync } from "node:sqlite";
import { toKeywordQuery } from "./keyword-query.js";
import { MEMORY_COLUMNS, type MemoryRow, rowToRecord } from "./memory-row.js";
import { type FusedCandidate, fuseRanks } from "./rank-fusion.js";
import type { SearchHit, SearchMode, SearchResult } from "./types.js";
import { vectorToBlob } from "./vector-blob.js";

/** Memories carrying every tag in `$tags` (a JSON array of `$tagCount` distinct tags). */
const TAGGED =
  "SELECT doc_id FROM memory_tags WHERE tag IN (SELECT value FROM json_each($tags)) GROUP BY doc_id HAVING count(*) = $tagCount";

// How deep each list is read before fusing: fusion needs more candidates than it returns, or a
// memory ranked moderately in both lists is never seen.
const HYBRID_DEPTH_FACTOR = 4;
const HYBRID_MIN_DEPTH = 32;

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

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The vec0 table was dropped and recreated: statements prepared against it are stale. */
  forgetVectorStatements(): void {
    for (const key of this.#statements.keys()) if (key.startsWith("vector")) this.#statements.delete(key);
  }

  search(request: SearchRequest): SearchResult {
    const match = toKeywordQuery(request.query);
    const mode: SearchMode =
      request.vector === undefined ? "keyword" : match === undefined ? "vector" : "hybrid";
    if (mode === "keyword") {
      if (match === undefined) return { hits: [], mode };
      const ranked = this.#keyword(match, request.limit, request.tags);
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
    const keywordIds = this.#keyword(match!, depth, request.tags).map((row) => row.doc_id);
    const vectorIds = this.#vector(vector, depth, request.tags).map((row) => row.doc_id);
    return { hits: this.#hits(fuseRanks(keywordIds, vectorIds).slice(0, request.limit)), mode };
  }

  #keyword(match: string, limit: number, tags: string[]): RankedRow[] {
    const statement = this.#statement(
      tags.length > 0 ? "keyword-tagged" : "keyword",
      `SELECT rowid AS doc_id, bm25(memories_fts) AS rank FROM memories_fts
       WHERE memories_fts MATCH $match ${tags.length > 0 ? `AND rowid IN (${TAGGED})` : ""}
       ORDER BY rank LIMIT $limit`,
    );
    return statement.all({ match, limit, ...tagParameters(tags) }) as unknown as RankedRow[];
  }

  #vector(vector: Float32Array, limit: number, tags: string[]): RankedRow[] {
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

function tagParameters(tags: string[]): { tags?: string; tagCount?: number } {
  return tags.length > 0 ? { tags: JSON.stringify(tags), tagCount: tags.length } : {};
}
