import { chunkText } from "../core/chunk-text.js";
import { fenceLine, isFenceClosing, openFenceAtEnd } from "../markdown/index.js";
import { markdownToTelegramHtml } from "./markdown-to-telegram-html.js";

/**
 * Splits a Markdown reply into pieces whose rendered HTML each fits `limit` (Telegram counts the
 * message text, and the HTML is never shorter than what it shows). A piece cut inside a fenced
 * code block is closed by the renderer; the next piece reopens the fence with its language, so
 * the code still shows as code on both sides of the cut.
 */
export function chunkTelegramMarkdown(markdown: string, limit: number): string[] {
  const measure = (piece: string) => markdownToTelegramHtml(piece).length;
  const pieces: string[] = [];
  let rest = markdown;
  let reopen = "";
  while (rest.trim().length > 0) {
    const text = reopen ? `${reopen}\n${rest.trimStart()}` : rest;
    const piece = firstPiece(text, limit, measure);
    // The reopened fence alone filled the piece: give up on reopening rather than loop.
    if (reopen && piece.length <= reopen.length) {
      reopen = "";
      continue;
    }
    pieces.push(piece);
    rest = text.trim().slice(piece.length);
    reopen = "";
    const open = openFenceAtEnd(piece);
    if (!open) continue;
    const [firstLine = "", ...otherLines] = rest.trimStart().split("\n");
    // The cut fell just before the closing fence: drop it instead of reopening an empty block.
    if (isFenceClosing(firstLine, open)) rest = otherLines.join("\n");
    else reopen = fenceLine(open);
  }
  return pieces;
}

/**
 * The first piece `chunkText` would cut from `text`. It looks at a window a few limits long
 * (what one piece can hold, with room for Markdown markers the HTML drops), not at the whole
 * reply, so that a long reply is not re-measured whole for every piece.
 */
function firstPiece(text: string, limit: number, measure: (piece: string) => number): string {
  const window = text.slice(0, limit * 4);
  if (window.length < text.length) {
    const pieces = chunkText(window, limit, measure);
    if (pieces.length > 1) return pieces[0]!;
  }
  return chunkText(text, limit, measure)[0]!;
}
