import type { Stats } from "node:fs";
import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { ToolInputError } from "../tool.js";

// O_NOFOLLOW: the path was checked symlink-free, and must not have become a symlink since.
// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens a checked workspace path for reading, refusing directories, devices, FIFOs and sockets. */
export async function openRegularFile(
  hostPath: string,
  path: string,
): Promise<{ handle: FileHandle; stats: Stats }> {
  const handle = await open(hostPath, READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      throw new ToolInputError(`"${path}" is a directory; use the list tool to see its entries`);
    }
    if (!stats.isFile()) throw new ToolInputError(`"${path}" is not a regular file`);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Text files have no NUL bytes; binary files almost always do within their first chunk. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.includes(0);
}
