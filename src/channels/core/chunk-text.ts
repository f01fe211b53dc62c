/**
 * Splits a reply into pieces of at most `limit` units (characters for Telegram, UTF-8 bytes for
 * IRC: `measure` says), preferring to cut between paragraphs, then lines, then sentences, then
 * words, and only as a last resort inside a word (never inside a UTF-16 surrogate pair). Pieces
 * joined in order give back the text, less the whitespace cut at each boundary.
 */
export function chunkText(
  text: string,
  limit: number,
  measure: (piece: string) => number = (piece) => piece.length,
): string[] {
  if (limit < 1) throw new RangeError("chunk limit must be at least 1");
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (measure(rest) <= limit) {
      chunks.push(rest);
      break;
    }
    const end = fittingPrefixLength(rest, limit, measure);
    const cut = bestBoundary(rest.slice(0, end)) ?? end;
    const piece = rest.slice(0, cut).trimEnd();
    // A piece that is all whitespace would loop; cutting at `end` always makes progress.
    if (piece.length === 0) {
      chunks.push(rest.slice(0, end));
      rest = rest.slice(end).trimStart();
      continue;
    }
    chunks.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  return chunks;
}

/** The longest prefix (in UTF-16 units, never splitting a surrogate pair) that measures ≤ limit. */
function fittingPrefixLength(text: string, limit: number, measure: (piece: string) => number): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, middle)) <= limit) low = middle;
    else high = middle - 1;
  }
  let end = Math.max(1, low);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return Math.max(1, end);
}

const BOUNDARIES: readonly RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?。！？](?=\s)/g, /\s/g];

/** Where to cut `window`: after its last paragraph break, else line, sentence, word. */
function bestBoundary(window: string): number | undefined {
  // A cut in the first fifth would make a tiny chunk and a run of them; fall through instead.
  const minimum = Math.floor(window.length / 5);
  for (const boundary of BOUNDARIES) {
    let best: number | undefined;
    for (const match of window.matchAll(boundary)) {
      const at = match.index + (boundary.source.startsWith("[") ? match[0].length : 0);
      if (at > minimum) best = at;
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** UTF-8 length, for platforms whose limits are in bytes (IRC's 512-byte line). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
