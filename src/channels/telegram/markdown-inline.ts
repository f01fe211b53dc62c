/**
 * Inline Markdown of one line (emphasis, strike, code spans, links) to Telegram HTML.
 *
 * Markers pair up on a stack: a closer matches the nearest open marker of the same kind, and
 * anything opened after that one and still unclosed turns back into literal text. That is what
 * keeps the output properly nested whatever the input, and why an unbalanced `**` shows as typed.
 */

interface TextToken {
  kind: "text";
  value: string;
}

/** Already-rendered HTML that is balanced on its own: a code span or a link. */
interface AtomToken {
  kind: "atom";
  html: string;
}

interface DelimiterToken {
  kind: "delimiter";
  marker: "*" | "_" | "~";
  length: number;
  canOpen: boolean;
  canClose: boolean;
  /** Set once paired: whether this one opens or closes its pair. */
  role?: "open" | "close";
}

type Token = TextToken | AtomToken | DelimiterToken;

export interface InlineFeatures {
  /** Code spans and links; off inside a link's text, where Telegram allows neither. */
  atoms: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

export function renderInline(line: string, features: InlineFeatures = { atoms: true }): string {
  const tokens = tokenize(line, features);
  pairDelimiters(tokens);
  return tokens.map(renderToken).join("");
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;

function tokenize(line: string, features: InlineFeatures): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flushText = () => {
    if (text.length > 0) tokens.push({ kind: "text", value: text });
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
    if (features.atoms && character === "`") {
      const span = readCodeSpan(line, index);
      if (span) {
        flushText();
        tokens.push({ kind: "atom", html: `<code>${escapeHtml(span.content)}</code>` });
      } else {
        text += line.slice(index, index + runLength(line, index));
      }
      index = span ? span.end : index + runLength(line, index);
      continue;
    }
    if (features.atoms && character === "[") {
      const link = readLink(line, index);
      if (link) {
        flushText();
        const label = renderInline(link.label, { atoms: false });
        tokens.push({ kind: "atom", html: `<a href="${escapeAttribute(link.url)}">${label}</a>` });
        index = link.end;
        continue;
      }
    }
    const url = features.atoms ? bareUrlAt(line, index) : undefined;
    if (url) {
      text += url;
      index += url.length;
      continue;
    }
    if (character === "*" || character === "_" || character === "~") {
      const length = runLength(line, index);
      const delimiters = delimitersOf(line, index, character, length);
      if (delimiters.length > 0) {
        flushText();
        tokens.push(...delimiters);
      } else {
        text += line.slice(index, index + length);
      }
      index += length;
      continue;
    }
    text += character;
    index += 1;
  }
  flushText();
  return tokens;
}

/**
 * A bare URL is text, markers and all: `https://x.dev/a_b_c` must not turn italic halfway, which
 * would also break the link Telegram makes of it. Closing punctuation stays outside, so that
 * `(see https://x.dev)` and `**https://x.dev**` keep their own markers.
 */
function bareUrlAt(line: string, index: number): string | undefined {
  if (index > 0 && /[\p{L}\p{N}]/u.test(line[index - 1]!)) return undefined;
  const match = /^https?:\/\/[^\s<>`*]+/i.exec(line.slice(index, index + 2048));
  return match?.[0].replace(/[_~.,:;!?)'"]+$/, "") || undefined;
}

function runLength(line: string, start: number): number {
  let end = start;
  while (end < line.length && line[end] === line[start]) end += 1;
  return end - start;
}

/** A code span: a backtick run closed by the next run of exactly the same length. */
function readCodeSpan(line: string, start: number): { content: string; end: number } | undefined {
  const length = runLength(line, start);
  let search = start + length;
  while (search < line.length) {
    const next = line.indexOf("`", search);
    if (next === -1) return undefined;
    const closing = runLength(line, next);
    if (closing === length) return { content: line.slice(start + length, next), end: next + closing };
    search = next + closing;
  }
  return undefined;
}

/**
 * `[label](url)` with an http(s) URL. Other schemes (`javascript:`, `tg:`, `file:`) are not
 * links: the text stays as typed, so an agent cannot make a tappable link to them.
 */
function readLink(line: string, start: number): { label: string; url: string; end: number } | undefined {
  const labelEnd = line.indexOf("]", start + 1);
  if (labelEnd === -1 || line[labelEnd + 1] !== "(") return undefined;
  const label = line.slice(start + 1, labelEnd);
  if (label.length === 0 || label.includes("[")) return undefined;
  // One level of parentheses inside the URL, as in Wikipedia's `Foo_(bar)` pages.
  let depth = 0;
  let index = labelEnd + 2;
  for (; index < line.length; index += 1) {
    const character = line[index]!;
    if (/[\s<>]/.test(character)) return undefined;
    if (character === "(") depth += 1;
    else if (character === ")") {
      if (depth === 0) break;
      depth -= 1;
    }
  }
  if (index >= line.length) return undefined;
  const url = line.slice(labelEnd + 2, index);
  if (!/^https?:\/\/[^\s/?#]+/i.test(url)) return undefined;
  return { label, url, end: index + 1 };
}

function delimitersOf(
  line: string,
  start: number,
  marker: "*" | "_" | "~",
  length: number,
): DelimiterToken[] {
  if (marker === "~" ? length !== 2 : length > 3) return [];
  const before = start === 0 ? " " : line[start - 1]!;
  const after = start + length >= line.length ? " " : line[start + length]!;
  let canOpen = !/\s/.test(after);
  let canClose = !/\s/.test(before);
  // snake_case_names are not emphasis: `_` only opens or closes at a word's edge.
  if (marker === "_") {
    canOpen &&= !/[\p{L}\p{N}]/u.test(before);
    canClose &&= !/[\p{L}\p{N}]/u.test(after);
  }
  const make = (size: number): DelimiterToken => ({
    kind: "delimiter",
    marker,
    length: size,
    canOpen,
    canClose,
  });
  if (length < 3) return [make(length)];
  // `***` is bold and italic: opened as `**` then `*`, closed as `*` then `**`, so they nest.
  return canClose && !canOpen ? [make(1), make(2)] : [make(2), make(1)];
}

function pairDelimiters(tokens: Token[]): void {
  const open: DelimiterToken[] = [];
  for (const token of tokens) {
    if (token.kind !== "delimiter") continue;
    if (token.canClose) {
      const match = findLastIndex(open, (candidate) => sameKind(candidate, token));
      if (match !== -1) {
        open[match]!.role = "open";
        token.role = "close";
        // Whatever opened inside the pair and never closed stays unpaired: literal text.
        open.splice(match);
        continue;
      }
    }
    if (token.canOpen) open.push(token);
  }
}

function sameKind(a: DelimiterToken, b: DelimiterToken): boolean {
  return a.marker === b.marker && a.length === b.length && a.role === undefined;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) if (predicate(items[index]!)) return index;
  return -1;
}

function tagOf(token: DelimiterToken): string {
  if (token.marker === "~") return "s";
  return token.length === 2 ? "b" : "i";
}

function renderToken(token: Token): string {
  switch (token.kind) {
    case "text":
      return escapeHtml(token.value);
    case "atom":
      return token.html;
    case "delimiter":
      if (token.role === "open") return `<${tagOf(token)}>`;
      if (token.role === "close") return `</${tagOf(token)}>`;
      return token.marker.repeat(token.length);
  }
}
