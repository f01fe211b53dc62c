import { chunkText } from "../core/chunk-text.js";
import { isFenceClosing, openFenceAtEnd } from "../markdown/index.js";
import { markdownToSlackMrkdwn } from "./markdown-to-slack-mrkdwn.js";

/**
 * Splits a Markdown reply into pieces whose rendered mrkdwn each fits `limit` characters (Slack
 * truncates `text` past 40 000 and advises 4 000). A piece cut inside a fenced code block is
 * closed by the renderer and the next piece reopens the fence, so both sides still show as code.
 */
export function chunkSlackMarkdown(markdown: string, limit: number): string[] {
  const measure = (piece: string) => markdownToSlackMrkdwn(piece).length;
  const pieces: string[] = [];
  let rest = markdown;
  let reopen = false;
  while (rest.trim().length > 0) {
    const text = reopen ? `\`\`\`\n${rest.trimStart()}` : rest;
    // A window a few limits long, so a long reply is not re-measured whole for every piece.
    const window = text.slice(0, limit * 4);
    const first =
      (window.length < text.length
        ? chunkText(window, limit, measure)
        : chunkText(text, limit, measure))[0] ?? text;
    if (reopen && first.length <= 4) {
      reopen = false;
      rest = rest.trimStart();
      continue;
    }
    pieces.push(first);
    rest = text.trim().slice(first.length);
    reopen = false;
    if (!openFenceAtEnd(first)) continue;
    const [nextLine = "", ...others] = rest.trimStart().split("\n");
    // Cut just before the closing fence: drop it rather than open an empty block.
    if (isFenceClosing(nextLine, { length: 3, language: undefined })) rest = others.join("\n");
    else reopen = true;
  }
  return pieces;
}
