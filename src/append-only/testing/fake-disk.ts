import { writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { AppendHandle } from "../append-only-file.js";

export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, write`), {
    code,
    errno: -28,
    syscall: "write",
  });
}

/**
 * Real files on a pretend filesystem with `free` bytes left: writes past it are short, then
 * fail with `code` (ENOSPC by default), as a full disk does; truncating gives the space back.
 * Tests open files through it instead of filling a real disk.
 */
export class FakeDisk {
  /** Bytes that still fit; undefined for no limit. */
  free: number | undefined;
  code = "ENOSPC";
  /** Truncate fails too (a failing device, not a full one). */
  failTruncate = false;
  writes = 0;

  constructor(free?: number) {
    this.free = free;
  }

  readonly open = async (path: string, mode: number): Promise<AppendHandle & { fd: number }> =>
    this.wrap(await open(path, "a+", mode));

  readonly writeSync = (fd: number, data: Buffer): number => {
    const length = this.take(data.length);
    return writeSync(fd, data, 0, length);
  };

  private take(length: number): number {
    this.writes++;
    if (this.free === undefined) return length;
    if (this.free === 0) throw errnoError(this.code);
    const granted = Math.min(length, this.free);
    this.free -= granted;
    return granted;
  }

  private wrap(handle: FileHandle): AppendHandle & { fd: number } {
    return {
      fd: handle.fd,
      read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
      stat: () => handle.stat(),
      close: () => handle.close(),
      truncate: async (length) => {
        if (this.failTruncate) throw errnoError("EIO");
        const before = (await handle.stat()).size;
        await handle.truncate(length);
        if (this.free !== undefined) this.free += Math.max(0, before - length);
      },
      write: async (buffer, offset, length) => handle.write(buffer, offset, this.take(length)),
    };
  }
}
