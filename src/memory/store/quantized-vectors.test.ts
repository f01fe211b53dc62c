import { describe, expect, it } from "vitest";
import { QuantizedVectors } from "./quantized-vectors.js";

/** Seeded, so a failure reproduces. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function randomVector(random: () => number, dimensions: number): Float32Array {
  return Float32Array.from({ length: dimensions }, () => random() * 2 - 1);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return dot / Math.sqrt(normA * normB);
}

describe("QuantizedVectors", () => {
  it("ranks candidates by cosine, ignoring vector length", () => {
    const index = new QuantizedVectors(3);
    index.put(1, new Float32Array([10, 0, 0]));
    index.put(2, new Float32Array([0.1, 0.1, 0]));
    index.put(3, new Float32Array([-1, 0, 0]));
    expect(index.candidates(new Float32Array([1, 0.05, 0]), 3, 100)).toEqual([1, 2, 3]);
  });

  it("replaces a vector put again under the same doc id, and forgets removed ones", () => {
    const index = new QuantizedVectors(2, 1);
    index.put(1, new Float32Array([1, 0]));
    index.put(2, new Float32Array([0, 1]));
    index.put(3, new Float32Array([-1, 0]));
    index.put(1, new Float32Array([0, -1]));
    expect(index.size).toBe(3);
    expect(index.candidates(new Float32Array([0, -1]), 1, 100)).toEqual([1]);
    index.remove(2);
    index.remove(2);
    expect(index.size).toBe(2);
    expect(index.has(2)).toBe(false);
    // The last vector moved into the freed slot and still answers under its own doc id.
    expect(index.candidates(new Float32Array([-1, 0]), 1, 100)).toEqual([3]);
    expect(index.candidates(new Float32Array([0, 1]), 5, 100).sort()).toEqual([1, 3]);
  });

  it("keeps a zero vector without poisoning the ranking", () => {
    const index = new QuantizedVectors(2);
    index.put(1, new Float32Array([0, 0]));
    index.put(2, new Float32Array([1, 1]));
    expect(index.candidates(new Float32Array([1, 1]), 2, 100)).toEqual([2, 1]);
  });

  it("finds most of the exact nearest neighbours when the hamming shortlist is a small share", () => {
    const random = randomSource(7);
    const dimensions = 64;
    const vectors = Array.from({ length: 4000 }, () => randomVector(random, dimensions));
    const index = new QuantizedVectors(dimensions);
    for (const [docId, vector] of vectors.entries()) index.put(docId, vector);
    let found = 0;
    const queries = 20;
    for (let query = 0; query < queries; query++) {
      const target = randomVector(random, dimensions);
      const exact = vectors
        .map((vector, docId) => ({ docId, similarity: cosine(vector, target) }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, 10)
        .map((entry) => entry.docId);
      const candidates = new Set(index.candidates(target, 40, 800));
      found += exact.filter((docId) => candidates.has(docId)).length;
    }
    expect(found / (queries * 10)).toBeGreaterThan(0.9);
  });

  it("returns nothing for a query of another size", () => {
    const index = new QuantizedVectors(2);
    index.put(1, new Float32Array([1, 0]));
    index.put(2, new Float32Array([1, 0, 0]));
    expect(index.size).toBe(1);
    expect(index.candidates(new Float32Array([1, 0, 0]), 5, 100)).toEqual([]);
  });
});
