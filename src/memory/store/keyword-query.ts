const MAX_QUERY_TERMS = 32;
// Letters, digits, combining marks and private-use characters: what FTS5's unicode61 tokenizer
// keeps as token characters. Everything else (quotes, operators, `*`, `:`, `^`, parentheses) is a
// separator, so no user text can reach FTS5 as query syntax.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/**
 * Turns free text into an FTS5 MATCH expression: each distinct word becomes a quoted string and
 * the words are OR-ed, so bm25 ranks memories matching more (and rarer) words first. Returns
 * undefined when the text has no words, so the caller can skip the search instead of erroring.
 */
export function toKeywordQuery(text: string): string | undefined {
  return keywordMatch(keywordWords(text));
}

/** The MATCH expression OR-ing `words` (from keywordWords); undefined for none. */
export function keywordMatch(words: readonly string[]): string | undefined {
  if (words.length === 0) return undefined;
  // Words contain no `"` by construction; quoting still makes keywords like OR, NOT, NEAR literal.
  return words.map((word) => `"${word}"`).join(" OR ");
}

/** The distinct words `toKeywordQuery` OR-s, in the order it lists them. */
export function keywordWords(text: string): string[] {
  const words = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    words.add(match[0].toLowerCase());
    if (words.size === MAX_QUERY_TERMS) break;
  }
  return [...words];
}
