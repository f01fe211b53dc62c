import JSON5 from "json5";

/**
 * A positional view of a JSON5 document: where each key and value starts and ends, so that errors
 * can name a line and `config set` can splice one value without reformatting the rest. It is only
 * run on text that `JSON5.parse` accepted, so it checks structure and leaves validation to json5.
 */

export interface SourceMember {
  key: string;
  keyStart: number;
  value: SourceNode;
}

export type SourceNode =
  | { kind: "object"; start: number; end: number; members: SourceMember[] }
  | { kind: "array"; start: number; end: number; items: SourceNode[] }
  | { kind: "scalar"; start: number; end: number };

const IDENTIFIER_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const LINE_BREAKS = new Set(["\n", "\r", "\u2028", "\u2029"]);
const SCALAR_STOP = new Set([",", "}", "]", ":", "/"]);

function isWhitespace(char: string): boolean {
  return /\s/.test(char) || char === "\uFEFF";
}

/** The offset of the next token at or after `offset`: past whitespace, `//` and block comments. */
export function skipTrivia(text: string, offset: number): number {
  let position = offset;
  while (position < text.length) {
    const char = text[position] as string;
    if (isWhitespace(char)) position += 1;
    else if (text.startsWith("//", position)) {
      while (position < text.length && !LINE_BREAKS.has(text[position] as string)) position += 1;
    } else if (text.startsWith("/*", position)) {
      const close = text.indexOf("*/", position + 2);
      position = close < 0 ? text.length : close + 2;
    } else break;
  }
  return position;
}

class SourceScanner {
  position = 0;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    throw new Error(`unexpected JSON5 structure at offset ${this.position}: expected ${expected}`);
  }

  skipTrivia(): void {
    this.position = skipTrivia(this.text, this.position);
  }

  /** A quoted string token; a backslash always consumes the next character (escapes, line continuations). */
  scanString(): void {
    const quote = this.text[this.position];
    this.position += 1;
    while (this.position < this.text.length && this.text[this.position] !== quote) {
      this.position += this.text[this.position] === "\\" ? 2 : 1;
    }
    if (this.position >= this.text.length) this.fail(`closing ${quote}`);
    this.position += 1;
  }

  /** Numbers, literals and unquoted keys: everything up to a delimiter, whitespace or a comment. */
  scanWord(): void {
    const start = this.position;
    while (this.position < this.text.length) {
      const char = this.text[this.position] as string;
      if (isWhitespace(char) || SCALAR_STOP.has(char) || char === '"' || char === "'") break;
      this.position += char === "\\" ? 2 : 1;
    }
    if (this.position === start) this.fail("a value");
  }

  parseValue(): SourceNode {
    this.skipTrivia();
    const start = this.position;
    const char = this.text[start];
    if (char === "{") return this.parseObject();
    if (char === "[") return this.parseArray();
    if (char === '"' || char === "'") this.scanString();
    else this.scanWord();
    return { kind: "scalar", start, end: this.position };
  }

  parseKey(): { key: string; keyStart: number } {
    const keyStart = this.position;
    const char = this.text[keyStart];
    if (char === '"' || char === "'") this.scanString();
    else this.scanWord();
    const token = this.text.slice(keyStart, this.position);
    if (IDENTIFIER_KEY.test(token)) return { key: token, keyStart };
    // Quoted keys and identifiers with \u escapes: let json5 decode them exactly as it did when parsing.
    const decoded = Object.keys(JSON5.parse(`{${token}:0}`) as object)[0];
    if (decoded === undefined) this.fail("a key");
    return { key: decoded, keyStart };
  }

  parseObject(): SourceNode {
    const start = this.position;
    this.position += 1;
    const members: SourceMember[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.position] === "}") break;
      const { key, keyStart } = this.parseKey();
      this.skipTrivia();
      if (this.text[this.position] !== ":") this.fail("':'");
      this.position += 1;
      const value = this.parseValue();
      this.skipTrivia();
      members.push({ key, keyStart, value });
      if (this.text[this.position] === ",") this.position += 1;
      else if (this.text[this.position] !== "}") this.fail("',' or '}'");
    }
    this.position += 1;
    return { kind: "object", start, end: this.position, members };
  }

  parseArray(): SourceNode {
    const start = this.position;
    this.position += 1;
    const items: SourceNode[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.position] === "]") break;
      items.push(this.parseValue());
      this.skipTrivia();
      if (this.text[this.position] === ",") this.position += 1;
      else if (this.text[this.position] !== "]") this.fail("',' or ']'");
    }
    this.position += 1;
    return { kind: "array", start, end: this.position, items };
  }
}

/** Positions of every key and value of a document that JSON5 already accepted. */
export function parseSourceTree(text: string): SourceNode {
  return new SourceScanner(text).parseValue();
}

/** The member json5 keeps for a key: the last one when a key is repeated. */
export function findMember(node: SourceNode, key: string): SourceMember | undefined {
  if (node.kind !== "object") return undefined;
  for (let index = node.members.length - 1; index >= 0; index -= 1) {
    const member = node.members[index] as SourceMember;
    if (member.key === key) return member;
  }
  return undefined;
}

export interface LineColumn {
  line: number;
  column: number;
}

/** 1-based line and column of an offset, counting \r\n, \r, \n, U+2028 and U+2029 as line breaks like json5. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === "\r" && text[index + 1] === "\n") continue;
    if (LINE_BREAKS.has(char)) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
