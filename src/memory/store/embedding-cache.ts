import type { DatabaseSync, StatementSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import { validateComponents } from "./memory-input.js";
import { blobToVector, vectorToBlob } from "./vector-blob.js";

const MAX_KEY_LENGTH = 256;

function validateKey(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_KEY_LENGTH || !value.isWellFormed()) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `${what} must be a non-empty string of at most ${MAX_KEY_LENGTH} characters`,
      {
        hint: `pass the embedding model name and the content hash (see memoryContentHash)`,
      },
    );
  }
  return value;
}

/**
 * Embeddings keyed by model and content hash, so re-indexing an unchanged workspace file or
 * re-embedding after a restart does not pay the embedding provider again.
 */
export class EmbeddingCache {
  readonly #get: StatementSync;
  readonly #put: StatementSync;

  constructor(db: DatabaseSync) {
    this.#get = db.prepare("SELECT vector FROM embedding_cache WHERE model = ? AND content_hash = ?");
    this.#put = db.prepare(
      "INSERT OR REPLACE INTO embedding_cache (model, content_hash, vector, created_at) VALUES (?, ?, ?, ?)",
    );
  }

  get(model: string, contentHash: string): Float32Array | undefined {
    const row = this.#get.get(validateKey(model, "model"), validateKey(contentHash, "content hash")) as
      | { vector: Uint8Array }
      | undefined;
    return row ? blobToVector(row.vector) : undefined;
  }

  put(model: string, contentHash: string, vector: Float32Array): void {
    validateKey(model, "model");
    validateKey(contentHash, "content hash");
    validateComponents(vector, "cached embedding");
    this.#put.run(model, contentHash, vectorToBlob(vector), new Date().toISOString());
  }
}
