import type { EmbeddingsClient } from "./embeddings/embeddings-client.js";
import { type AgentMemoryStore, memoryContentHash } from "./store/index.js";

/** The embedder as the memory service uses it: a model name and a batch call. */
export type Embedder = Pick<EmbeddingsClient, "model" | "dimensions" | "embed">;

/**
 * Embeds with the store's cache, keyed by model and content hash: the same text under the same
 * model is sent to the embedding model once, whichever memory (or re-index) it belongs to.
 */
export async function embedWithCache(
  embedder: Embedder,
  store: AgentMemoryStore,
  texts: string[],
): Promise<Float32Array[]> {
  const hashes = texts.map(memoryContentHash);
  const vectors = await Promise.all(hashes.map((hash) => store.cachedEmbedding(embedder.model, hash)));
  const missing = texts.filter((_, index) => !vectors[index]);
  if (missing.length === 0) return vectors as Float32Array[];
  const fresh = await embedder.embed(missing);
  let next = 0;
  for (const [index, vector] of vectors.entries()) {
    if (vector) continue;
    const made = fresh[next++] as Float32Array;
    vectors[index] = made;
    await store.cacheEmbedding(embedder.model, hashes[index] as string, made);
  }
  return vectors as Float32Array[];
}
