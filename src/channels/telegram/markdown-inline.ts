import { type InlineSyntax, type InlineToken, tokenizeInline } from "../markdown/index.js";

/** Inline Markdown of one line (emphasis, strike, code spans, links) to Telegram HTML. */

export interface InlineFeatures {
  /** Code spans and links; off inside a link's text, where Telegram allows neither. */
  atoms: boolean;
}

/** Telegram links http(s) only; `<` or `>` in the target means it was never a URL. */
const TELEGRAM_LINKS = { linkUrl: /^https?:\/\/[^\s/?#]+/i, notInLinkUrl: /[\s<>]/ };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

export function renderInline(line: string, features: InlineFeatures = { atoms: true }): string {
  const syntax: InlineSyntax = { atoms: features.atoms, ...TELEGRAM_LINKS };
  return tokenizeInline(line, syntax).map(renderToken).join("");
}

function tagOf(token: Extract<InlineToken, { kind: "delimiter" }>): string {
  if (token.marker === "~") return "s";
  return token.length === 2 ? "b" : "i";
}

function renderToken(token: InlineToken): string {
  switch (token.kind) {
    case "text":
      return escapeHtml(token.value);
    case "code":
      return `<code>${escapeHtml(token.content)}</code>`;
    case "link":
      return `<a href="${escapeAttribute(token.url)}">${renderInline(token.label, { atoms: false })}</a>`;
    case "delimiter":
      if (token.role === "open") return `<${tagOf(token)}>`;
      if (token.role === "close") return `</${tagOf(token)}>`;
      return token.marker.repeat(token.length);
  }
}
