import type { DatabaseSync } from "node:sqlite";
import { FileDerived } from "./file-derived.js";
import { QuantizedVectors } from "./quantized-vectors.js";
import { blobToVector } from "./vector-blob.js";

/**
 * Keeps one `QuantizedVectors` in step with the file's vector table. Built on the first vector
 * search (reading every vector once), then updated by this connection's writes. Dropped, to be
 * rebuilt, whenever it may be wrong: a transaction rolled back after updating it, the table was
 * recreated, or another connection committed (`PRAGMA data_version` moved), since nothing tells
 * this process what that one wrote.
 */
export class VectorIndexCache {
  readonly #db: DatabaseSync;
  readonly #index: FileDerived<QuantizedVectors>;
  #hasVectorTable: boolean;

  constructor(db: DatabaseSync, hasVectorTable: boolean) {
    this.#db = db;
    this.#hasVectorTable = hasVectorTable;
    // An empty table builds nothing: writes then go unrecorded and the next search looks again.
    this.#index = new FileDerived(db, () => this.#build());
  }

  /** The index, current with the file; undefined when the file has no vectors (nothing to speed up). */
  index(): QuantizedVectors | undefined {
    return this.#hasVectorTable ? this.#index.current() : undefined;
  }

  put(docId: number, vector: Float32Array): void {
    this.#index.kept()?.put(docId, vector);
  }

  remove(docId: number): void {
    this.#index.kept()?.remove(docId);
  }

  /** Forget the index; the next search rebuilds it from the file. */
  drop(): void {
    this.#index.drop();
  }

  vectorTableRecreated(): void {
    this.#hasVectorTable = true;
    this.#index.drop();
  }

  #build(): QuantizedVectors | undefined {
    let index: QuantizedVectors | undefined;
    for (const row of this.#db.prepare("SELECT rowid, embedding FROM memory_vectors").iterate()) {
      const { rowid, embedding } = row as { rowid: number; embedding: Uint8Array };
      const vector = blobToVector(embedding);
      index ??= new QuantizedVectors(vector.length);
      index.put(Number(rowid), vector);
    }
    return index;
  }
}
