import { utf8Length } from "../core/chunk-text.js";
import { readMarkdownLines } from "./markdown-to-irc-text.js";

/**
 * About one flood-control burst of full IRC lines: a piece is what a failed send retries, so
 * small pieces resend little, and a reader sees each piece arrive at once.
 */
export const IRC_PIECE_BYTES = 1_600;

/**
 * Splits a Markdown reply into Markdown pieces between source lines, so each piece renders on
 * its own exactly as its lines render within the whole: inline markup never spans lines, and a
 * code fence cut in two is closed at the end of one piece and reopened at the start of the next.
 * Lines are never cut here; `send` splits a long line into several PRIVMSGs.
 */
export function chunkIrcMarkdown(markdown: string, limitBytes: number = IRC_PIECE_BYTES): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  let currentBytes = 0;
  let openFence: { opener: string; closer: string } | undefined;

  const flush = () => {
    if (currentBytes > 0) pieces.push([...current, ...(openFence ? [openFence.closer] : [])].join("\n"));
    current = openFence ? [openFence.opener] : [];
    currentBytes = 0;
  };

  for (const line of readMarkdownLines(markdown)) {
    const rendered = line.kind === "text" || line.kind === "code" ? line.rendered : "";
    // Blank lines are not sent, so they cost nothing; each sent line costs its bytes and a line break.
    const bytes = rendered.trim() === "" ? 0 : utf8Length(rendered) + 1;
    if (bytes > 0 && currentBytes > 0 && currentBytes + bytes > limitBytes) flush();
    current.push(line.source);
    currentBytes += bytes;
    if (line.kind === "fence-open") openFence = line.fence;
    if (line.kind === "fence-close") openFence = undefined;
  }
  openFence = undefined;
  flush();
  return pieces;
}
