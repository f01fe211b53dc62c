import { fencedBlockAt, type InlineSyntax, type InlineToken, tokenizeInline } from "../markdown/index.js";

/**
 * An agent's Markdown as Slack `mrkdwn`: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, fenced
 * blocks, `<url|label>` links, `>` quotes. Every `&`, `<` and `>` of the input is escaped, as Slack
 * asks, so an agent's `<!channel>` or `<@U123>` arrives as text and pings nobody. Inline markers
 * never span lines and pair on a stack, so an unbalanced `**` shows as typed.
 */
export function markdownToSlackMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const block = fencedBlockAt(lines, index);
    if (block) {
      // The language is dropped: Slack shows none.
      out.push(`\`\`\`\n${escapeMrkdwn(block.body)}\n\`\`\``);
      index = block.end;
      continue;
    }
    const quote = QUOTE.exec(line);
    const heading = HEADING.exec(line);
    const item = BULLET.exec(line);
    if (quote) out.push(`>${quote[1] ? ` ${renderInline(quote[1])}` : ""}`);
    else if (heading) out.push(`*${renderInline(heading[1]!.replace(/[ \t]+#+$/, ""))}*`);
    else if (item) out.push(`${item[1]}• ${renderInline(item[2]!)}`);
    else out.push(renderInline(line));
    index += 1;
  }
  return out.join("\n");
}

const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*\S)[ \t]*$/;
const BULLET = /^([ \t]*)[-*+][ \t]+(.*)$/;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack links http(s) and mailto; only whitespace ends a link target early. */
const SLACK_INLINE: InlineSyntax = {
  atoms: true,
  linkUrl: /^(https?:\/\/[^\s/?#]+|mailto:[^\s]+)/i,
  notInLinkUrl: /\s/,
};

function renderInline(line: string): string {
  return tokenizeInline(line, SLACK_INLINE).map(render).join("");
}

/** `|` and `>` end a Slack link's parts: in a URL they are percent-encoded, `<` too. */
function linkUrl(url: string): string {
  return url.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C");
}

/** A label is plain text: its markers shown as typed, `|` kept out of the link syntax. */
function linkLabel(label: string): string {
  return escapeMrkdwn(label.replace(/\|/g, "¦"));
}

function render(token: InlineToken): string {
  if (token.kind === "text") return escapeMrkdwn(token.value);
  if (token.kind === "code") return `\`${escapeMrkdwn(token.content)}\``;
  if (token.kind === "link") return `<${linkUrl(token.url)}|${linkLabel(token.label)}>`;
  if (token.role === undefined) return token.marker.repeat(token.length);
  // Markdown's `**bold**` / `__bold__` is Slack's `*bold*`; `*it*` / `_it_` is `_it_`.
  if (token.marker === "~") return "~";
  return token.length === 2 ? "*" : "_";
}
