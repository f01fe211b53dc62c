/** The constant from Cormack et al. (2009): damps the weight of the very top ranks. */
export const RRF_K = 60;

export interface FusedCandidate {
  docId: number;
  score: number;
  keywordRank?: number;
  vectorRank?: number;
}

/**
 * Reciprocal-rank fusion: each list contributes 1 / (k + rank), so a memory found by both keyword
 * and vector search outranks one found by only one of them at a similar position. Ranks, not raw
 * scores, are fused because bm25 and cosine distance are on unrelated scales.
 */
export function fuseRanks(keywordDocIds: number[], vectorDocIds: number[]): FusedCandidate[] {
  const candidates = new Map<number, FusedCandidate>();
  const candidate = (docId: number): FusedCandidate => {
    let found = candidates.get(docId);
    if (!found) {
      found = { docId, score: 0 };
      candidates.set(docId, found);
    }
    return found;
  };
  keywordDocIds.forEach((docId, index) => {
    const entry = candidate(docId);
    entry.keywordRank = index + 1;
    entry.score += 1 / (RRF_K + index + 1);
  });
  vectorDocIds.forEach((docId, index) => {
    const entry = candidate(docId);
    entry.vectorRank = index + 1;
    entry.score += 1 / (RRF_K + index + 1);
  });
  const bestRank = (entry: FusedCandidate) =>
    Math.min(entry.keywordRank ?? Number.POSITIVE_INFINITY, entry.vectorRank ?? Number.POSITIVE_INFINITY);
  return [...candidates.values()].sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b));
}
