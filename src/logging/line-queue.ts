/**
 * Log lines waiting for their destination, oldest first, with a bound on the bytes held: past
 * it, a new line is dropped and counted. The oldest are the ones kept because they tell how an
 * outage began; the count says how much is missing after them.
 */
export class LineQueue {
  private readonly lines: Buffer[] = [];
  private queued = 0;
  /** Bytes of the first line already written (a short write leaves the rest for the next). */
  private headWritten = 0;
  /** Lines dropped since this queue was made: a counter, it never goes down. */
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  get length(): number {
    return this.lines.length;
  }

  get bytes(): number {
    return this.queued - this.headWritten;
  }

  push(line: string): boolean {
    const buffer = Buffer.from(line);
    if (this.queued + buffer.length > this.maxBytes && this.lines.length > 0) {
      this.dropped++;
      return false;
    }
    this.lines.push(buffer);
    this.queued += buffer.length;
    return true;
  }

  /** Bytes still to write of the first line (0 when empty). */
  firstLineBytes(): number {
    const first = this.lines[0];
    return first ? first.length - this.headWritten : 0;
  }

  /** Whether the first line is partly written (a retry must finish it, or start it over). */
  get firstLineStarted(): boolean {
    return this.headWritten > 0;
  }

  /** The next bytes to write: the first line's rest, then whole lines while under `limit` bytes. */
  peek(limit: number): Buffer {
    const parts: Buffer[] = [];
    let total = 0;
    for (const [index, line] of this.lines.entries()) {
      const part = index === 0 ? line.subarray(this.headWritten) : line;
      if (index > 0 && total + part.length > limit) break;
      parts.push(part);
      total += part.length;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
  }

  /** Marks `count` bytes from the front as written. */
  consume(count: number): void {
    let left = count;
    let whole = 0;
    while (left > 0 && whole < this.lines.length) {
      const rest = (this.lines[whole] as Buffer).length - this.headWritten;
      if (left < rest) {
        this.headWritten += left;
        break;
      }
      left -= rest;
      this.queued -= (this.lines[whole] as Buffer).length;
      this.headWritten = 0;
      whole++;
    }
    this.lines.splice(0, whole);
  }

  /** The first line goes out whole again: its written part was cut from the file. */
  restartFirstLine(): void {
    this.headWritten = 0;
  }

  /** Drops every line (a destination that is gone); returns how many. */
  clear(): number {
    const count = this.lines.length;
    this.lines.length = 0;
    this.queued = 0;
    this.headWritten = 0;
    this.dropped += count;
    return count;
  }
}
