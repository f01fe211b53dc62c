export const SECRET_MASK = "[secret]";

/** Shorter values would mask ordinary words; no real credential is this short. */
const MIN_SECRET_LENGTH = 6;

/**
 * The one place that knows every resolved credential value, so that every output path (logs,
 * transcripts, HTTP and WebSocket answers, errors, tool output) can mask them the same way.
 * Values stay registered after a rotation: an old key that leaks is still a key.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  /** Registers a value, and its base64 form (Basic auth headers, encoded configs). */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    this.values.add(Buffer.from(value).toString("base64"));
    this.values.add(encodeURIComponent(value));
    // Longest first, so a value that contains another is masked whole.
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  /** Whether `text` holds any registered value. */
  leaks(text: string): boolean {
    return this.sorted.some((value) => text.includes(value));
  }

  redact(text: string): string {
    if (this.sorted.length === 0) return text;
    let result = text;
    for (const value of this.sorted) {
      if (result.includes(value)) result = result.split(value).join(SECRET_MASK);
    }
    return result;
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
    let start = text.length;
    for (const value of this.sorted) {
      const from = Math.max(0, text.length - value.length + 1);
      for (let index = from; index < start; index++) {
        if (value.startsWith(text.slice(index))) {
          start = index;
          break;
        }
      }
    }
    return start;
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
    if (typeof value === "string") return this.leaks(value) ? this.redact(value) : value;
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
