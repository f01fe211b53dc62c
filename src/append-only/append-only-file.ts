import { fstatSync } from "node:fs";
import { open } from "node:fs/promises";
import { repairTornTail, type TailHandle } from "./torn-tail.js";

/** What an append-only file does with its handle; node's FileHandle has it, tests fake it. */
export interface AppendHandle extends TailHandle {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export type OpenAppendHandle = (path: string, mode: number) => Promise<AppendHandle>;

/**
 * Read and append ("a+"): the tail repair reads the end of the file before it writes. The size
 * check before each append is a synchronous fstat: it reads the inode the kernel holds, never
 * the disk, and a trip through libuv's thread pool costs two thread wake-ups (~2 % of a
 * dev-model turn's CPU on the benchmark machine) for a syscall of a microsecond. Reads and
 * writes stay asynchronous: those are the calls a slow or full disk can hold up.
 */
const openForAppend: OpenAppendHandle = async (path, mode) => {
  const handle = await open(path, "a+", mode);
  return {
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    write: (buffer, offset, length) => handle.write(buffer, offset, length),
    truncate: (length) => handle.truncate(length),
    stat: async () => fstatSync(handle.fd),
    close: () => handle.close(),
  };
};

export interface AppendOnlyFileOptions {
  mode?: number;
  open?: OpenAppendHandle;
  /** A torn tail was cut before an append (a crash or a failed write left it). */
  onRepaired?: (path: string, cutBytes: number) => void;
}

/**
 * One JSONL file that only grows, kept whole across kills and full disks. Before an append the
 * file's size is checked against the size this writer left it at; on any difference (the first
 * append after opening, a failed write, another hand) a torn tail is cut first (see
 * repairTornTail). An append that fails part-way is rolled back to where it started, so a batch
 * is on disk entirely or not at all. One append at a time: callers serialize (transcripts queue
 * per file, the usage ledger writes one flush after the other).
 */
export class AppendOnlyFile {
  private handle: Promise<AppendHandle> | undefined;
  /** The size this writer left the file at; -1 when unknown (not opened yet, a failed write). */
  private size = -1;

  constructor(
    readonly path: string,
    private readonly options: AppendOnlyFileOptions = {},
  ) {}

  /** Resolves with where the text starts in the file (see rollBackTo). */
  async append(text: string | Buffer): Promise<number> {
    const data = typeof text === "string" ? Buffer.from(text) : text;
    const handle = await this.opened();
    // Checked before every append, not only after an open or a failed write: another hand (an
    // operator's editor, a second process) may have cut or extended the file behind our back,
    // and one fstat (a syscall on the open file, see openForAppend) is the price of never gluing.
    const actual = (await handle.stat()).size;
    if (actual !== this.size) {
      const cut = await repairTornTail(handle, actual);
      this.size = actual - cut;
      if (cut > 0) this.options.onRepaired?.(this.path, cut);
    }
    const start = this.size;
    let written = 0;
    try {
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      this.size = start + data.length;
      return start;
    } catch (error) {
      // Nobody is told this append happened: take back whatever part of it reached the file.
      try {
        await handle.truncate(start);
      } catch {
        // The next append finds out and repairs by the torn-tail rule.
      }
      this.size = -1;
      throw error;
    }
  }

  /**
   * Takes back what this writer appended from `offset` on (where an append started): for a
   * caller whose batch spans several files and failed in a later one, so that the batch is
   * stored whole or not at all.
   */
  async rollBackTo(offset: number): Promise<void> {
    const handle = await this.opened();
    this.size = -1;
    await handle.truncate(offset);
    this.size = offset;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.size = -1;
    if (handle) await (await handle).close().catch(() => undefined);
  }

  private opened(): Promise<AppendHandle> {
    if (!this.handle) {
      const opening = (this.options.open ?? openForAppend)(this.path, this.options.mode ?? 0o600);
      // A failed open is tried again by the next append, not remembered.
      opening.catch(() => {
        if (this.handle === opening) this.handle = undefined;
      });
      this.handle = opening;
    }
    return this.handle;
  }
}
