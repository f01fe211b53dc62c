import { OpenClawError } from "../../errors.js";
import type { MemoryInput, MemorySource } from "./types.js";

export const MAX_MEMORY_TEXT_BYTES = 32 * 1024;
export const MAX_MEMORY_TAGS = 32;
export const MAX_TAG_LENGTH = 64;
export const MAX_VECTOR_DIMENSIONS = 8192;
const MAX_SOURCE_PATH_LENGTH = 4096;
const MAX_SESSION_KEY_LENGTH = 512;
const MAX_ID_LENGTH = 128;
// Ids travel into file names, URLs and Qdrant payloads: a conservative alphabet keeps them inert.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;

function refuse(message: string, hint: string, details?: Record<string, unknown>): never {
  throw new OpenClawError("OC_ERR_BAD_REQUEST", message, details ? { hint, details } : { hint });
}

/** Lone UTF-16 surrogates cannot be encoded as UTF-8: SQLite would silently store U+FFFD instead. */
function requireWellFormed(value: string, what: string): void {
  if (!value.isWellFormed()) {
    refuse(`${what} contains an unpaired UTF-16 surrogate`, "send valid Unicode text");
  }
}

export function validateText(text: unknown, what = "memory text"): string {
  if (typeof text !== "string" || text.trim() === "") {
    refuse(`${what} must be a non-empty string`, "pass the text to remember");
  }
  requireWellFormed(text, what);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_MEMORY_TEXT_BYTES) {
    refuse(
      `${what} is ${bytes} bytes; the limit is ${MAX_MEMORY_TEXT_BYTES} bytes (UTF-8)`,
      "split the text into smaller memories",
      { bytes, limit: MAX_MEMORY_TEXT_BYTES },
    );
  }
  return text;
}

/** Returns the tags deduplicated, in their first-seen order. */
export function validateTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) refuse("tags must be an array of strings", "pass tags as a list");
  if (tags.length > MAX_MEMORY_TAGS) {
    refuse(
      `${tags.length} tags given; at most ${MAX_MEMORY_TAGS} are allowed`,
      "keep the few tags that matter",
    );
  }
  for (const tag of tags) {
    if (typeof tag !== "string" || tag.trim() === "")
      refuse("each tag must be a non-empty string", "drop empty tags");
    requireWellFormed(tag, "a tag");
    if ([...tag].length > MAX_TAG_LENGTH) {
      refuse(`tag "${tag.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`, "use a shorter tag");
    }
  }
  return [...new Set(tags as string[])];
}

export function validateSource(source: unknown): MemorySource {
  if (source === undefined) return {};
  if (typeof source !== "object" || source === null || Array.isArray(source)) {
    refuse("source must be an object with optional sessionKey and path", "pass { sessionKey } or { path }");
  }
  const { sessionKey, path } = source as Record<string, unknown>;
  const result: MemorySource = {};
  if (sessionKey !== undefined) {
    result.sessionKey = validateBoundedString(sessionKey, "source.sessionKey", MAX_SESSION_KEY_LENGTH);
  }
  if (path !== undefined) result.path = validateSourcePath(path);
  return result;
}

export function validateSourcePath(path: unknown): string {
  return validateBoundedString(path, "source path", MAX_SOURCE_PATH_LENGTH);
}

function validateBoundedString(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== "string" || value === "")
    refuse(`${what} must be a non-empty string`, `pass a ${what}`);
  requireWellFormed(value, what);
  if (value.length > maxLength)
    refuse(`${what} is longer than ${maxLength} characters`, `shorten the ${what}`);
  return value;
}

export function validateMemoryId(id: unknown): string {
  if (typeof id !== "string" || id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
    refuse(
      "memory id must be 1 to 128 characters of letters, digits and _ . : @ -, starting with a letter or digit",
      "omit the id to have one generated",
    );
  }
  return id;
}

export interface ValidMemoryInput {
  id: string | undefined;
  text: string;
  tags: string[];
  source: MemorySource;
}

export function validateMemoryInput(input: MemoryInput): ValidMemoryInput {
  if (typeof input !== "object" || input === null)
    refuse("memory must be an object with a text", "pass { text }");
  return {
    id: input.id === undefined ? undefined : validateMemoryId(input.id),
    text: validateText(input.text),
    tags: validateTags(input.tags),
    source: validateSource(input.source),
  };
}

/**
 * A vector must match the store's configured size and be usable for cosine distance: finite
 * components and a non-zero length (the cosine of a zero vector is undefined and sqlite-vec
 * returns NULL for it, which would sort unpredictably).
 */
export function validateVector(
  vector: unknown,
  dimensions: number | undefined,
  what = "vector",
): Float32Array {
  if (dimensions === undefined) {
    refuse(
      `a ${what} was given but this memory store has no embedder configured`,
      "configure an embedding model for memory, or send the memory without a vector",
    );
  }
  if (!(vector instanceof Float32Array))
    refuse(`${what} must be a Float32Array`, "pass the embedding as Float32Array");
  if (vector.length !== dimensions) {
    refuse(
      `${what} has ${vector.length} dimensions; this memory store holds ${dimensions}-dimension vectors`,
      "embed with the configured model, or reset the vectors after changing the model",
      { dimensions: vector.length, expected: dimensions },
    );
  }
  validateComponents(vector, what);
  return vector;
}

/** Finite, non-zero components; size not checked (the embedding cache holds vectors of any model). */
export function validateComponents(vector: unknown, what = "vector"): Float32Array {
  if (!(vector instanceof Float32Array) || vector.length === 0) {
    refuse(`${what} must be a non-empty Float32Array`, "pass the embedding as Float32Array");
  }
  let squaredLength = 0;
  for (const component of vector) {
    if (!Number.isFinite(component))
      refuse(`${what} contains NaN or Infinity`, "check the embedding model output");
    squaredLength += component * component;
  }
  if (squaredLength === 0) refuse(`${what} is all zeros`, "check the embedding model output");
  return vector;
}

export function validateDimensions(dimensions: unknown): number {
  if (
    typeof dimensions !== "number" ||
    !Number.isInteger(dimensions) ||
    dimensions < 1 ||
    dimensions > MAX_VECTOR_DIMENSIONS
  ) {
    refuse(
      `vector dimensions must be an integer from 1 to ${MAX_VECTOR_DIMENSIONS}`,
      "set dimensions to the embedding model's output size",
    );
  }
  return dimensions;
}

/** A positive integer, capped at `max` (asking for too many is not an error, just clipped). */
export function validateLimit(limit: unknown, fallback: number, max: number, what = "limit"): number {
  if (limit === undefined) return fallback;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) {
    refuse(`${what} must be a positive integer`, `pass a ${what} from 1 to ${max}`);
  }
  return Math.min(limit, max);
}
