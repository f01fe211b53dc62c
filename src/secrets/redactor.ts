import { GramIndex, MIN_INDEXED_LENGTH } from "./gram-index.js";
import { secretForms } from "./secret-forms.js";

export const SECRET_MASK = "[secret]";

/** Shorter values would mask ordinary words; no real credential is this short. */
const MIN_SECRET_LENGTH = 6;

/**
 * The one place that knows every resolved credential value, so that every output path (logs,
 * transcripts, HTTP and WebSocket answers, errors, tool output) can mask them the same way.
 * Values stay registered after a rotation: an old key that leaks is still a key.
 *
 * `redact` runs on every HTTP answer and WebSocket frame, nearly always on text that holds no
 * secret, so that answer is made cheap: short strings are searched for directly, long ones (most
 * keys, and the many lines of a PEM key) through one sampled pass of a GramIndex; only text that
 * may hold one is searched string by string.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly values = new Set<string>();
  /** Longest first, so that a value that contains another is masked whole. */
  private sorted: string[] = [];
  /** Positions in `sorted` of the values too short for the index, searched for directly. */
  private short: number[] = [];
  private index = new GramIndex([]);
  /** Values by their first two char codes, for the tail a stream holds back. */
  private byStart = new Map<number, string[]>();
  private firstChars = new Set<number>();
  private longest = 0;

  /** Registers a value with every spelling output may carry it in (see secretForms). */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    for (const form of secretForms(value)) this.values.add(form);
    // Rebuilt whole: values are added at start-up and on rotation, and read on every answer.
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
    this.index = new GramIndex(this.sorted);
    this.short = [];
    for (const [position, form] of this.sorted.entries()) {
      if (form.length < MIN_INDEXED_LENGTH) this.short.push(position);
    }
    this.longest = this.sorted[0]?.length ?? 0;
    this.byStart = new Map();
    this.firstChars = new Set();
    for (const form of this.sorted) {
      const key = startKey(form, 0);
      const sameStart = this.byStart.get(key);
      if (sameStart) sameStart.push(form);
      else this.byStart.set(key, [form]);
      this.firstChars.add(form.charCodeAt(0));
    }
  }

  /** How many strings are masked: every registered value in each of its spellings. */
  get size(): number {
    return this.values.size;
  }

  /** Whether `text` holds any registered value. */
  leaks(text: string): boolean {
    return this.present(text).length > 0;
  }

  redact(text: string): string {
    const present = this.present(text);
    if (present.length === 0) return text;
    let result = text;
    // Longest first, so that a value inside a longer one is masked as part of it. The mask has no
    // `$`, so replaceAll inserts it as it is.
    for (const value of present) result = result.replaceAll(value, SECRET_MASK);
    return result;
  }

  /** The registered values `text` holds, longest first. */
  private present(text: string): string[] {
    if (this.sorted.length === 0) return [];
    const positions = this.index.candidates(text);
    for (const position of this.short) positions.push(position);
    const present: string[] = [];
    for (const position of positions.length > 1 ? positions.sort((a, b) => a - b) : positions) {
      const value = this.sorted[position];
      if (value !== undefined && text.includes(value)) present.push(value);
    }
    return present;
  }

  /**
   * Masks text that arrives in pieces (a streamed answer), where a value may be split across two
   * pieces: the tail that could be the start of a value is held back until the next piece shows
   * whether it is one. `end()` releases what is held.
   */
  stream(): { push(text: string): string; end(): string } {
    let held = "";
    return {
      push: (text: string) => {
        const buffered = this.redact(held + text);
        const cut = this.unsafeTailStart(buffered);
        held = buffered.slice(cut);
        return buffered.slice(0, cut);
      },
      end: () => {
        const rest = this.redact(held);
        held = "";
        return rest;
      },
    };
  }

  /** Where the longest suffix of `text` that is a proper prefix of a registered value starts. */
  private unsafeTailStart(text: string): number {
    const last = text.length - 1;
    // Only values that start with the suffix's first two characters can continue it.
    for (let index = Math.max(0, text.length - this.longest + 1); index < last; index++) {
      const candidates = this.byStart.get(startKey(text, index));
      if (!candidates) continue;
      const tail = text.slice(index);
      if (candidates.some((value) => value.length > tail.length && value.startsWith(tail))) return index;
    }
    // Every value is longer than one character, so a last character that starts one is held.
    if (last >= 0 && this.firstChars.has(text.charCodeAt(last))) return last;
    return text.length;
  }

  /**
   * A JSON-like value with every registered value masked in its strings. Only what changes is
   * copied: the common case, nothing to mask, returns the value itself (turn outcomes and events
   * pass through here on every turn).
   */
  redactValue<T>(value: T): T {
    if (this.sorted.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    // redact returns the string itself when it holds nothing, so an unchanged value is not copied.
    if (typeof value === "string") return this.redact(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (const [index, item] of value.entries()) {
        const masked = this.walk(item);
        if (masked !== item) {
          copy ??= [...value];
          copy[index] = masked;
        }
      }
      return copy ?? value;
    }
    if (value === null || typeof value !== "object") return value;
    let copy: Record<string, unknown> | undefined;
    for (const [key, inner] of Object.entries(value)) {
      const masked = this.walk(inner);
      if (masked !== inner) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[key] = masked;
      }
    }
    return copy ?? value;
  }
}

/** The first two char codes of `text` at `index`, as one map key. */
function startKey(text: string, index: number): number {
  return text.charCodeAt(index) * 0x10000 + text.charCodeAt(index + 1);
}
