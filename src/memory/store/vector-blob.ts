import { createHash } from "node:crypto";

/** sqlite-vec stores float32 vectors as little-endian blobs; so does the outbox and the cache. */
export function vectorToBlob(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobToVector(blob: Uint8Array): Float32Array {
  // Copy: the blob's byteOffset need not be 4-aligned, and the caller may keep the result.
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / Float32Array.BYTES_PER_ELEMENT);
}

/** The key callers use for `cachedEmbedding`/`cacheEmbedding`: SHA-256 of the exact text, hex. */
export function memoryContentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
