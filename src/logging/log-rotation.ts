import { existsSync, renameSync, unlinkSync } from "node:fs";

export interface RotationLimits {
  /** The active file is rotated once it would grow past this. */
  maxBytes: number;
  /** Rotated files kept (`gateway.log.1` is the newest); older ones are deleted. */
  maxFiles: number;
}

export const DEFAULT_ROTATION: RotationLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

/** `gateway.log`, `gateway.log.1`, … : the names of a log's files, newest first. */
export function rotatedPaths(path: string, maxFiles: number): string[] {
  return [path, ...Array.from({ length: maxFiles }, (_, index) => `${path}.${index + 1}`)];
}

/**
 * Moves the active file to `.1` (and each older one up a number, dropping the oldest), or
 * deletes it with `maxFiles` 0; the writer then opens a new one. The gateway is the only
 * writer, so this needs no lock: readers notice the new file by its inode. Renames and unlinks
 * need no free space, so this works on a full disk too.
 */
export function rotateLogFiles(path: string, maxFiles: number): void {
  if (maxFiles === 0) {
    if (existsSync(path)) unlinkSync(path);
    return;
  }
  const paths = rotatedPaths(path, maxFiles);
  const oldest = paths.at(-1) as string;
  if (existsSync(oldest)) unlinkSync(oldest);
  for (let index = paths.length - 2; index >= 0; index--) {
    const from = paths[index] as string;
    if (existsSync(from)) renameSync(from, paths[index + 1] as string);
  }
}
