import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Mode of a config file openclaw creates: it may hold credentials. */
export const NEW_CONFIG_FILE_MODE = 0o600;
export const NEW_CONFIG_DIR_MODE = 0o700;

/**
 * Writes via a temporary file in the same directory and a rename, so that a reader (the
 * gateway's watcher) sees the old or the new file, never half of one.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  mode: number = NEW_CONFIG_FILE_MODE,
): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: NEW_CONFIG_DIR_MODE });
  const temporary = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(temporary, "wx", mode);
    try {
      await handle.writeFile(content, "utf8");
      // open()'s mode is filtered by the umask; the file must end up with exactly this mode.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
