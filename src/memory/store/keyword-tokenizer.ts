import { DatabaseSync, type StatementSync } from "node:sqlite";

/**
 * The memories_fts tokenizer, exactly as schema.ts declares it. Kept here too because the
 * in-process keyword index must cut text into the very tokens FTS5 indexed; the keyword index
 * property test fails if the two ever differ.
 */
export const MEMORY_FTS_TOKENIZE = "porter unicode61 remove_diacritics 2";

// Query words repeat (a conversation keeps asking about the same things); a bounded map keeps the
// answer without growing for ever.
const WORD_CACHE_LIMIT = 8192;

/** A text's tokens as FTS5 counts them: how often each term occurs, and the document length. */
export interface TokenCounts {
  terms: Map<string, number>;
  length: number;
}

/**
 * Tokenizes with FTS5 itself, in a private in-memory database holding an FTS5 table with the same
 * tokenizer and its fts5vocab view: reimplementing porter + unicode61 + diacritics folding in
 * JavaScript would drift from SQLite's; asking SQLite cannot.
 */
export class KeywordTokenizer {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #clear: StatementSync;
  readonly #instances: StatementSync;
  readonly #size: StatementSync;
  readonly #words = new Map<string, string | null>();

  constructor() {
    this.#db = new DatabaseSync(":memory:");
    this.#db.exec(`CREATE VIRTUAL TABLE t USING fts5(text, tokenize = '${MEMORY_FTS_TOKENIZE}')`);
    this.#db.exec("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)");
    this.#insert = this.#db.prepare("INSERT INTO t (rowid, text) VALUES (?, ?)");
    this.#clear = this.#db.prepare("DELETE FROM t");
    this.#instances = this.#db.prepare("SELECT doc, term FROM v");
    this.#instances.setReturnArrays(true);
    this.#size = this.#db.prepare("SELECT sz FROM t_docsize WHERE id = 1");
  }

  /** The terms of one memory's text and its length in tokens, as memories_fts stored them. */
  count(text: string): TokenCounts {
    this.#insert.run(1, text);
    try {
      const terms = new Map<string, number>();
      for (const [, term] of this.#instances.iterate() as Iterable<[number, string]>) {
        terms.set(term, (terms.get(term) ?? 0) + 1);
      }
      const size = (this.#size.get() as { sz: Uint8Array } | undefined)?.sz;
      return { terms, length: size === undefined ? 0 : readVarint(size, 0).value };
    } finally {
      this.#clear.run();
    }
  }

  /**
   * The single term each query word becomes, in order; undefined when some word becomes more or
   * fewer than one token, since FTS5 then matches it as a phrase, which the index does not do.
   */
  queryTerms(words: readonly string[]): string[] | undefined {
    const unknown = words.filter((word) => !this.#words.has(word));
    if (unknown.length > 0) this.#learn(unknown);
    const terms: string[] = [];
    for (const word of words) {
      const term = this.#words.get(word);
      if (term === null || term === undefined) return undefined;
      terms.push(term);
    }
    return terms;
  }

  close(): void {
    this.#db.close();
  }

  #learn(words: string[]): void {
    if (this.#words.size + words.length > WORD_CACHE_LIMIT) this.#words.clear();
    const tokens = words.map(() => [] as string[]);
    try {
      for (let index = 0; index < words.length; index++) this.#insert.run(index + 1, words[index]!);
      for (const [doc, term] of this.#instances.iterate() as Iterable<[number, string]>) {
        tokens[doc - 1]!.push(term);
      }
    } finally {
      this.#clear.run();
    }
    for (let index = 0; index < words.length; index++) {
      const found = tokens[index]!;
      this.#words.set(words[index]!, found.length === 1 ? found[0]! : null);
    }
  }
}

/** SQLite's varint (big-endian, 7 bits a byte, a full ninth byte), as FTS5 writes sizes and totals. */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  for (let index = 0; index < 8; index++) {
    const byte = bytes[offset + index] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return { value, next: offset + index + 1 };
  }
  return { value: value * 256 + (bytes[offset + 8] ?? 0), next: offset + 9 };
}
