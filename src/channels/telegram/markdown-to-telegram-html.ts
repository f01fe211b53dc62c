import { fencedBlockAt } from "../markdown/index.js";
import { escapeHtml, renderInline } from "./markdown-inline.js";

/**
 * Renders an agent's Markdown in the HTML subset Telegram's `parse_mode: "HTML"` accepts.
 *
 * Telegram answers 400 "can't parse entities" to any tag it does not know or any tag left open,
 * so the renderer never passes HTML through: every `<`, `>` and `&` of the input is escaped
 * (an agent's `<script>` arrives as text) and every tag it writes it also closes. Blocks
 * (fences, quotes, headings) are per line; inline markers never span lines, which keeps an
 * unbalanced marker from swallowing the rest of a reply.
 */
export function markdownToTelegramHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const block = fencedBlockAt(lines, index);
    if (block) {
      const code = escapeHtml(block.body);
      const { language } = block.opening;
      blocks.push(
        language ? `<pre><code class="language-${language}">${code}</code></pre>` : `<pre>${code}</pre>`,
      );
      index = block.end;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index]!)) {
        quoted.push(renderInline(QUOTE.exec(lines[index]!)![1]!));
        index += 1;
      }
      // Telegram refuses a blockquote inside a blockquote, so `>>` is one level and a literal `>`.
      blocks.push(`<blockquote>${quoted.join("\n")}</blockquote>`);
      continue;
    }
    const heading = HEADING.exec(line);
    blocks.push(
      heading ? `<b>${renderInline(heading[1]!.replace(/[ \t]+#+$/, ""))}</b>` : renderInline(line),
    );
    index += 1;
  }
  return blocks.join("\n");
}

const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*\S)[ \t]*$/;
