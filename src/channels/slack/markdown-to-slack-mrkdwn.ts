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
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      index += 1;
      while (index < lines.length && !isClosingFence(lines[index]!, fence[1]!.length))
        body.push(lines[index++]!);
      // A fence left open runs to the end; the chunker reopens it in the next piece.
      index += 1;
      out.push(`\`\`\`\n${escapeMrkdwn(body.join("\n"))}\n\`\`\``);
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

const FENCE = /^ {0,3}(`{3,})[^`]*$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*\S)[ \t]*$/;
const BULLET = /^([ \t]*)[-*+][ \t]+(.*)$/;

export function isClosingFence(line: string, length: number): boolean {
  const match = /^ {0,3}(`{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]!.length >= length;
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type Token =
  | { kind: "text"; value: string }
  | { kind: "atom"; value: string }
  | {
      kind: "delimiter";
      marker: "*" | "_" | "~";
      length: number;
      canOpen: boolean;
      canClose: boolean;
      role?: "open" | "close";
    };

const ESCAPABLE = /[!-/:-@[-`{-~]/;

function renderInline(line: string): string {
  const tokens = tokenize(line);
  pair(tokens);
  return tokens.map(render).join("");
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = () => {
    if (text) tokens.push({ kind: "text", value: text });
    text = "";
  };
  let index = 0;
  while (index < line.length) {
    const character = line[index]!;
    if (character === "\\" && index + 1 < line.length && ESCAPABLE.test(line[index + 1]!)) {
      text += line[index + 1];
      index += 2;
      continue;
    }
    if (character === "`") {
      const run = runLength(line, index);
      const close = line.indexOf("`".repeat(run), index + run);
      if (close !== -1 && close > index + run) {
        flush();
        tokens.push({ kind: "atom", value: `\`${escapeMrkdwn(line.slice(index + run, close))}\`` });
        index = close + run;
      } else {
        text += line.slice(index, index + run);
        index += run;
      }
      continue;
    }
    if (character === "[") {
      const link = readLink(line, index);
      if (link) {
        flush();
        tokens.push({ kind: "atom", value: `<${linkUrl(link.url)}|${linkLabel(link.label)}>` });
        index = link.end;
        continue;
      }
    }
    const url = bareUrlAt(line, index);
    if (url) {
      text += url;
      index += url.length;
      continue;
    }
    if (character === "*" || character === "_" || character === "~") {
      const run = runLength(line, index);
      const delimiters = delimitersOf(line, index, character, run);
      if (delimiters.length > 0) {
        flush();
        tokens.push(...delimiters);
      } else text += line.slice(index, index + run);
      index += run;
      continue;
    }
    text += character;
    index += 1;
  }
  flush();
  return tokens;
}

function runLength(line: string, start: number): number {
  let end = start;
  while (end < line.length && line[end] === line[start]) end += 1;
  return end - start;
}

/** A bare URL stays text, markers and all: `https://x.dev/a_b_c` must not turn italic halfway. */
function bareUrlAt(line: string, index: number): string | undefined {
  if (index > 0 && /[\p{L}\p{N}]/u.test(line[index - 1]!)) return undefined;
  const match = /^https?:\/\/[^\s<>`*]+/i.exec(line.slice(index, index + 2048));
  return match?.[0].replace(/[_~.,:;!?)'"]+$/, "") || undefined;
}

/** `[label](url)` with an http(s) or mailto URL; other schemes stay text, as typed. */
function readLink(line: string, start: number): { label: string; url: string; end: number } | undefined {
  const labelEnd = line.indexOf("]", start + 1);
  if (labelEnd === -1 || line[labelEnd + 1] !== "(") return undefined;
  const label = line.slice(start + 1, labelEnd);
  if (!label || label.includes("[")) return undefined;
  let depth = 0;
  let index = labelEnd + 2;
  for (; index < line.length; index += 1) {
    const character = line[index]!;
    if (/\s/.test(character)) return undefined;
    if (character === "(") depth += 1;
    else if (character === ")") {
      if (depth === 0) break;
      depth -= 1;
    }
  }
  if (index >= line.length) return undefined;
  const url = line.slice(labelEnd + 2, index);
  if (!/^(https?:\/\/[^\s/?#]+|mailto:[^\s]+)/i.test(url)) return undefined;
  return { label, url, end: index + 1 };
}

/** `|` and `>` end a Slack link's parts: in a URL they are percent-encoded, `<` too. */
function linkUrl(url: string): string {
  return url.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C");
}

/** A label is plain text: its markers shown as typed, `|` kept out of the link syntax. */
function linkLabel(label: string): string {
  return escapeMrkdwn(label.replace(/\|/g, "¦"));
}

function delimitersOf(line: string, start: number, marker: "*" | "_" | "~", length: number): Token[] {
  if (marker === "~" ? length !== 2 : length > 3) return [];
  const before = start === 0 ? " " : line[start - 1]!;
  const after = start + length >= line.length ? " " : line[start + length]!;
  let canOpen = !/\s/.test(after);
  let canClose = !/\s/.test(before);
  // snake_case_names are not emphasis.
  if (marker === "_") {
    canOpen &&= !/[\p{L}\p{N}]/u.test(before);
    canClose &&= !/[\p{L}\p{N}]/u.test(after);
  }
  const make = (size: number): Token => ({ kind: "delimiter", marker, length: size, canOpen, canClose });
  if (length < 3) return [make(length)];
  return canClose && !canOpen ? [make(1), make(2)] : [make(2), make(1)];
}

function pair(tokens: Token[]): void {
  const open: Extract<Token, { kind: "delimiter" }>[] = [];
  for (const token of tokens) {
    if (token.kind !== "delimiter") continue;
    if (token.canClose) {
      let match = -1;
      for (let at = open.length - 1; at >= 0; at -= 1) {
        const candidate = open[at]!;
        if (candidate.marker === token.marker && candidate.length === token.length) {
          match = at;
          break;
        }
      }
      if (match !== -1) {
        open[match]!.role = "open";
        token.role = "close";
        open.splice(match);
        continue;
      }
    }
    if (token.canOpen) open.push(token);
  }
}

function render(token: Token): string {
  if (token.kind === "text") return escapeMrkdwn(token.value);
  if (token.kind === "atom") return token.value;
  if (token.role === undefined) return token.marker.repeat(token.length);
  // Markdown's `**bold**` / `__bold__` is Slack's `*bold*`; `*it*` / `_it_` is `_it_`.
  if (token.marker === "~") return "~";
  return token.length === 2 ? "*" : "_";
}
