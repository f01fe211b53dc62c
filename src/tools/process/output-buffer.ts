import { StringDecoder } from "node:string_decoder";

/**
 * The output of a background process: only the last `limit` characters are kept, so a chatty
 * server cannot grow the agent's memory without bound. Reads are by offset into everything ever
 * written, so a poll can say how much it missed when the process outran the buffer.
 */
export class OutputBuffer {
  private text = "";
  /** Characters written before `text` starts (dropped from the front). */
  private dropped = 0;
  private readonly decoder = new StringDecoder("utf8");

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.text += this.decoder.write(chunk);
    if (this.text.length > this.limit) {
      const cut = this.text.length - this.limit;
      this.text = this.text.slice(cut);
      this.dropped += cut;
    }
  }

  /** Everything written so far (kept or not): the offset the next read starts from. */
  get end(): number {
    return this.dropped + this.text.length;
  }

  /** What was written from `offset` on; `missed` counts characters already dropped. */
  readFrom(offset: number): { text: string; missed: number } {
    const start = Math.max(offset, this.dropped);
    return { text: this.text.slice(start - this.dropped), missed: start - offset };
  }

  /** The last `maxChars` characters kept. */
  tail(maxChars: number): string {
    return this.text.slice(-maxChars);
  }
}
