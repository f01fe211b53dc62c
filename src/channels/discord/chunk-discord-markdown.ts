import { chunkText } from "../core/chunk-text.js";

/** Discord refuses a message whose content is longer than this (characters). */
export const DISCORD_MESSAGE_LIMIT = 2000;

const FENCE = /^ {0,3}(`{3,})[ \t]*([^`\s]*)[^`]*$/;

/**
 * Splits a Markdown reply into messages of at most `limit` characters. Discord renders Markdown
 * itself, so the text goes as written; only a cut inside a fenced code block needs care: that
 * piece gets a closing fence and the next reopens it with its language, so the code shows as
 * code on both sides. Room for both fences is kept out of each piece's budget.
 */
export function chunkDiscordMarkdown(markdown: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const budget = Math.max(1, limit - 24);
  const pieces: string[] = [];
  let reopen = "";
  for (const raw of chunkText(markdown, budget)) {
    const piece = reopen ? `${reopen}\n${raw}` : raw;
    const open = openFenceAtEnd(piece);
    pieces.push(open ? `${piece}\n${"`".repeat(open.length)}` : piece);
    reopen = open ? `${"`".repeat(open.length)}${open.language}` : "";
  }
  // A reopened fence may have pushed a piece past the limit when the language is long: cut hard.
  return pieces.flatMap((piece) => (piece.length <= limit ? [piece] : chunkText(piece, limit)));
}

/** The fence still open at the end of `markdown`: its backtick count and language. */
export function openFenceAtEnd(markdown: string): { length: number; language: string } | undefined {
  let open: { length: number; language: string } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const ticks = match[1]!.length;
    if (open) {
      if (ticks >= open.length && (match[2] ?? "") === "" && line.trim() === match[1]) open = undefined;
    } else {
      open = { length: ticks, language: (match[2] ?? "").slice(0, 16) };
    }
  }
  return open;
}
