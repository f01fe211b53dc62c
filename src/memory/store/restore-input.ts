import { type ValidMemoryInput, validateMemoryInput, validateVector } from "./memory-input.js";
import type { RestoredMemory } from "./types.js";

export interface ValidRestoredMemory {
  input: ValidMemoryInput;
  vector: Float32Array | undefined;
  createdAt: string;
  updatedAt: string;
}

/**
 * The memories of a restore that still validate, and how many do not. They come from a damaged
 * file or from Qdrant, so a torn row is expected: it is counted, not thrown. A vector of another
 * size (an older embedding model) is dropped and the memory re-embedded later.
 */
export function validRestoredMemories(
  memories: RestoredMemory[],
  dimensions: number | undefined,
): { valid: ValidRestoredMemory[]; invalid: number } {
  const valid: ValidRestoredMemory[] = [];
  let invalid = 0;
  for (const memory of memories) {
    try {
      const input = validateMemoryInput({
        id: memory.id,
        text: memory.text,
        tags: memory.tags,
        source: memory.source,
      });
      const vector =
        memory.vector !== undefined && memory.vector.length === dimensions
          ? validateVector(memory.vector, dimensions)
          : undefined;
      const createdAt = validTime(memory.createdAt);
      valid.push({ input, vector, createdAt, updatedAt: validTime(memory.updatedAt, createdAt) });
    } catch {
      invalid += 1;
    }
  }
  return { valid, invalid };
}

function validTime(value: unknown, fallback = new Date().toISOString()): string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : fallback;
}
