import type { SearchHit } from "./store/index.js";
import type { QdrantSync } from "./sync/index.js";

/**
 * A search answered by Qdrant (memory.qdrant.mode "primary": a memory shared by several
 * gateways). Qdrant's payload has no source or times, so those are left empty.
 */
export async function searchQdrant(
  sync: QdrantSync,
  vector: Float32Array,
  options: { limit?: number; tags?: string[] },
): Promise<SearchHit[]> {
  const remote = await sync.search(
    Array.from(vector),
    options.limit ?? 8,
    options.tags ? { tags: options.tags } : undefined,
  );
  return remote.map((hit) => ({
    record: { id: hit.memoryId, text: hit.text, tags: hit.tags, source: {}, createdAt: "", updatedAt: "" },
    score: hit.score,
  }));
}
