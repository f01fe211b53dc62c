const MAX_CHUNK_BYTES = 4000;

/**
 * A workspace memory file (MEMORY.md, memory/*.md) as the chunks it is indexed in: one per
 * paragraph, so that a hit points at the passage that matched; a paragraph too long for one
 * memory is cut into pieces of 2000 characters.
 */
export function workspaceChunks(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.length > 0)
    .flatMap((chunk) =>
      Buffer.byteLength(chunk) > MAX_CHUNK_BYTES ? (chunk.match(/[\s\S]{1,2000}/g) ?? []) : [chunk],
    );
}
