/** Characters hashed per sample: long enough that text and keys share none by chance. */
const GRAM_LENGTH = 8;

/** Strings at least this long are found by sampling; shorter ones are searched for directly. */
export const MIN_INDEXED_LENGTH = 32;

/**
 * Every occurrence of an indexed string (at least MIN_INDEXED_LENGTH long) covers a window of
 * GRAM_LENGTH characters that starts at a multiple of this stride, and that window is one of the
 * string's own grams: sampling the text at this stride cannot miss one.
 */
const STRIDE = MIN_INDEXED_LENGTH - GRAM_LENGTH + 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a of the GRAM_LENGTH char codes at `start`, cut to 30 bits so that V8 keeps it a small
 * integer. Written out: the loop form measured about a third slower on the hot path.
 */
function gramAt(text: string, start: number): number {
  let hash = Math.imul(FNV_OFFSET ^ text.charCodeAt(start), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 1), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 2), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 3), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 4), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 5), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 6), FNV_PRIME);
  hash = Math.imul(hash ^ text.charCodeAt(start + 7), FNV_PRIME);
  return hash & 0x3fffffff;
}

/**
 * Tells, in one sampled pass, which of many long strings a text may hold. One `includes` per
 * string costs about 1 µs on a 2 KB answer, and a PEM key registers dozens of strings (each of its
 * lines, in two spellings); this costs about 80 hashed samples however many strings there are.
 * "May": a sample whose gram belongs to a string (or collides with one) names it, and the caller
 * searches for the strings named; a string not named is not in the text.
 */
export class GramIndex {
  /** Gram → positions (in the list given) of the strings that contain it. */
  private readonly owners = new Map<number, number[]>();

  /** Indexes the strings of `strings` that are at least MIN_INDEXED_LENGTH long, by position. */
  constructor(strings: readonly string[]) {
    for (const [position, value] of strings.entries()) {
      if (value.length < MIN_INDEXED_LENGTH) continue;
      for (let start = 0; start + GRAM_LENGTH <= value.length; start++) {
        const gram = gramAt(value, start);
        const owners = this.owners.get(gram);
        if (!owners) this.owners.set(gram, [position]);
        else if (owners.at(-1) !== position) owners.push(position);
      }
    }
  }

  /** Positions of the indexed strings `text` may hold, ascending; empty (and cheap) when none. */
  candidates(text: string): number[] {
    if (this.owners.size === 0) return [];
    let found: Set<number> | undefined;
    for (let start = 0; start + GRAM_LENGTH <= text.length; start += STRIDE) {
      const owners = this.owners.get(gramAt(text, start));
      if (!owners) continue;
      found ??= new Set();
      for (const position of owners) found.add(position);
    }
    return found ? [...found].sort((a, b) => a - b) : [];
  }
}
