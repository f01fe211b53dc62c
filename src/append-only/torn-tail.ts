import { fstatSync, ftruncateSync, readSync } from "node:fs";

/** The reads and the truncate a tail repair needs: a FileHandle opened "a+" has them. */
export interface TailHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  truncate(length: number): Promise<void>;
}

const NEWLINE = 0x0a;
const BLOCK_BYTES = 64 * 1024;

/** Where the last whole line of a file of `size` bytes ends: just past its last "\n" (0 for none). */
export async function lastLineEnd(handle: TailHandle, size: number): Promise<number> {
  const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(size, 1)));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - block.length);
    const { bytesRead } = await handle.read(block, 0, end - start, start);
    const index = block.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (index !== -1) return start + index + 1;
    end = start;
  }
  return 0;
}

/**
 * Cuts a file that does not end in "\n" back to its last whole line; returns the bytes cut.
 *
 * Why cut rather than add the missing newline: every writer here reports an append as done
 * only once all of it is on disk, so a line without its newline belongs to a write nobody was
 * told succeeded (a kill or a full disk mid-write). Kept and terminated, it would stay in the
 * file as garbage every reader must skip forever, and a whole line left by a batch cut short
 * would resurrect a message its client was told failed; left unterminated, the next append
 * would glue its first line onto it and make that acknowledged entry unreadable. Cutting
 * returns the file to the last state a writer acknowledged.
 */
export async function repairTornTail(handle: TailHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === NEWLINE) return 0;
  const end = await lastLineEnd(handle, size - 1);
  await handle.truncate(end);
  return size - end;
}

/**
 * `repairTornTail` for a file descriptor, synchronously: for a process that is exiting and has
 * no turn of the event loop left. Never throws (the next open repairs what this cannot).
 */
export function repairTornTailSync(fd: number): void {
  try {
    const size = fstatSync(fd).size;
    const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(size, 1)));
    let end = size;
    let whole = 0;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const read = readSync(fd, block, 0, end - start, start);
      const index = block.subarray(0, read).lastIndexOf(NEWLINE);
      if (index !== -1) {
        whole = start + index + 1;
        break;
      }
      end = start;
    }
    if (whole < size) ftruncateSync(fd, whole);
  } catch {
    // Left for the next open's repairTornTail.
  }
}
