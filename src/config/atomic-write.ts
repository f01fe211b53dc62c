import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Mode of a config file openclaw creates: it may hold credentials. */
export const NEW_CONFIG_FILE_MODE = 0o600;
export const NEW_CONFIG_DIR_MODE = 0o700;

export interface AtomicWriteOptions {
  /**
   * Create the file only if it does not exist (EEXIST otherwise): the new file appears whole or
   * not at all, and a file someone else created meanwhile is never replaced.
   */
  exclusive?: boolean;
}

/**
 * Writes via a temporary file in the same directory (written, fsynced) and a rename, then fsyncs
 * the directory: a reader (the gateway's watcher) sees the old or the new file, never half of
 * one, and a kill or a power cut at any point leaves one of the two on disk.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  mode: number = NEW_CONFIG_FILE_MODE,
  options: AtomicWriteOptions = {},
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
    if (options.exclusive) {
      // link() fails when the name exists, where rename() would replace it.
      await link(temporary, path);
      await rm(temporary, { force: true });
    } else {
      await rename(temporary, path);
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes a rename in `directory` durable. Filesystems that cannot fsync a directory are skipped. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // EINVAL/EISDIR/EPERM on some filesystems and platforms: the file itself is already synced,
    // only the durability of its name across a power cut is left to the filesystem.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
