/**
 * Fenced code blocks, shared by each platform's renderer and chunker: a reply cut inside a code
 * block must be closed at the end of one piece and reopened at the start of the next, and both
 * sides have to agree on what counts as a fence.
 */

export interface FenceOpening {
  /** The backtick run's length: the closing fence needs at least as many. */
  length: number;
  /** The info string's first word when it is a safe class name, else undefined. */
  language: string | undefined;
}

const OPENING = /^ {0,3}(`{3,})[ \t]*([^`\s]*)[^`]*$/;
const CLOSING = /^ {0,3}(`{3,})[ \t]*$/;
// The language may land in an attribute (Telegram's class); anything beyond this alphabet is
// dropped rather than escaped so the reopened fence of a chunk stays short and predictable.
const SAFE_LANGUAGE = /^[A-Za-z0-9_+#.-]{1,32}$/;

export function parseFenceOpening(line: string): FenceOpening | undefined {
  const match = OPENING.exec(line);
  if (!match) return undefined;
  const language = match[2] ?? "";
  return { length: match[1]!.length, language: SAFE_LANGUAGE.test(language) ? language : undefined };
}

export function isFenceClosing(line: string, opening: FenceOpening): boolean {
  const match = CLOSING.exec(line);
  return match !== null && match[1]!.length >= opening.length;
}

/** A fenced code block: its opening, its lines, and the index of the line after its close. */
export interface FencedBlock {
  opening: FenceOpening;
  body: string;
  end: number;
}

/** The fenced block that opens at `lines[start]`, if one does. */
export function fencedBlockAt(lines: readonly string[], start: number): FencedBlock | undefined {
  const opening = parseFenceOpening(lines[start] ?? "");
  if (!opening) return undefined;
  let index = start + 1;
  while (index < lines.length && !isFenceClosing(lines[index]!, opening)) index += 1;
  // A fence left open runs to the end (as in CommonMark); the chunker reopens it next piece.
  return { opening, body: lines.slice(start + 1, index).join("\n"), end: index + 1 };
}

/** The fence line that reopens `opening` in a following chunk. */
export function fenceLine(opening: FenceOpening): string {
  return `${"`".repeat(opening.length)}${opening.language ?? ""}`;
}

/** The fence still open at the end of `markdown` (a code block the text was cut inside). */
export function openFenceAtEnd(markdown: string): FenceOpening | undefined {
  let open: FenceOpening | undefined;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (open) {
      if (isFenceClosing(line, open)) open = undefined;
    } else {
      open = parseFenceOpening(line);
    }
  }
  return open;
}
