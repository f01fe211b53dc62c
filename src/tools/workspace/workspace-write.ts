import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { open, realpath, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ToolInputError } from "../tool.js";
import type { WorkspaceLocation } from "./confine.js";

const TEMP_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Replaces the file at a location checked by `locateInWorkspace`: the data goes to a temp file
 * in the same directory, which is then renamed over the target, so nobody ever reads half a
 * file. `rename` replaces a symlink instead of following it, and the temp file is created with
 * O_EXCL | O_NOFOLLOW, so no write ever lands outside the workspace through a final symlink.
 */
export async function replaceFileAtomically(
  location: WorkspaceLocation,
  path: string,
  data: string | Uint8Array,
  mode: number,
): Promise<void> {
  const directory = dirname(location.hostPath);
  // The directory was symlink-free when checked; if it no longer resolves to itself, a
  // component was swapped for a symlink since, and writing now could land outside.
  if ((await realpath(directory)) !== directory) {
    throw new ToolInputError(`the directory of "${path}" changed while writing; try again`);
  }
  const tempPath = join(directory, `.openclaw-write-${randomBytes(8).toString("hex")}.tmp`);
  const handle = await open(tempPath, TEMP_FILE_FLAGS, mode);
  try {
    try {
      await handle.writeFile(data);
      // The process umask may have narrowed the mode given to open.
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(tempPath, location.hostPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
