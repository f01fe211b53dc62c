/**
 * Inline Markdown of one line (emphasis, strike, code spans, links) as tokens, paired; each
 * platform renders them in its own markup (Telegram HTML, Slack mrkdwn).
 *
 * Markers pair up on a stack: a closer matches the nearest open marker of the same kind, and
 * anything opened after that one and still unclosed turns back into literal text. That is what
 * keeps the output properly nested whatever the input, and why an unbalanced `**` shows as typed.
 */

export interface TextToken {
  kind: "text";
  value: string;
}

export interface CodeToken {
  kind: "code";
  content: string;
}

export interface LinkToken {
  kind: "link";
  /** The label as typed (its Markdown unparsed): the renderer decides what a label may hold. */
  label: string;
  url: string;
}

export interface DelimiterToken {
  kind: "delimiter";
  marker: "*" | "_" | "~";
  length: number;
  canOpen: boolean;
  canClose: boolean;
  /** Set once paired: whether this one opens or closes its pair; unpaired is literal text. */
  role?: "open" | "close";
}

export type InlineToken = TextToken | CodeToken | LinkToken | DelimiterToken;

/** What a platform accepts inline. */
export interface InlineSyntax {
  /** Code spans, links and bare URLs; off inside a link's label where a platform allows none. */
  atoms: boolean;
  /** The link targets that become links; any other `[label](url)` stays text, as typed. */
  linkUrl: RegExp;
  /** A character that, inside the parentheses, means this is not a link. */
  notInLinkUrl: RegExp;
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The tokens of `line`, delimiters already paired. */
export function tokenizeInline(line: string, syntax: InlineSyntax): InlineToken[] {
  const tokens: InlineToken[] = [];
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
    if (syntax.atoms && character === "`") {
      const span = readCodeSpan(line, index);
      if (span) {
        flushText();
        tokens.push({ kind: "code", content: span.content });
      } else {
        text += line.slice(index, index + runLength(line, index));
      }
      index = span ? span.end : index + runLength(line, index);
      continue;
    }
    if (syntax.atoms && character === "[") {
      const link = readLink(line, index, syntax);
      if (link) {
        flushText();
        tokens.push({ kind: "link", label: link.label, url: link.url });
        index = link.end;
        continue;
      }
    }
    const url = syntax.atoms ? bareUrlAt(line, index) : undefined;
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
  pairDelimiters(tokens);
  return tokens;
}

/**
 * A bare URL is text, markers and all: `https://x.dev/a_b_c` must not turn italic halfway, which
 * would also break the link the platform makes of it. Closing punctuation stays outside, so that
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
 * `[label](url)` with a URL the platform links. Other schemes (`javascript:`, `tg:`, `file:`)
 * are not links: the text stays as typed, so an agent cannot make a tappable link to them.
 */
function readLink(
  line: string,
  start: number,
  syntax: InlineSyntax,
): { label: string; url: string; end: number } | undefined {
  const labelEnd = line.indexOf("]", start + 1);
  if (labelEnd === -1 || line[labelEnd + 1] !== "(") return undefined;
  const label = line.slice(start + 1, labelEnd);
  if (label.length === 0 || label.includes("[")) return undefined;
  // Nested parentheses inside the URL, as in Wikipedia's `Foo_(bar)` pages.
  let depth = 0;
  let index = labelEnd + 2;
  for (; index < line.length; index += 1) {
    const character = line[index]!;
    if (syntax.notInLinkUrl.test(character)) return undefined;
    if (character === "(") depth += 1;
    else if (character === ")") {
      if (depth === 0) break;
      depth -= 1;
    }
  }
  if (index >= line.length) return undefined;
  const url = line.slice(labelEnd + 2, index);
  if (!syntax.linkUrl.test(url)) return undefined;
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

function pairDelimiters(tokens: InlineToken[]): void {
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
