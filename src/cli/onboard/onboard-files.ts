import { copyFile, rename, stat } from "node:fs/promises";
import { writeFileAtomic } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";

/** OpenClaw keeps five backups of a rewritten config: `.bak`, then `.bak.1` to `.bak.4`. */
const BACKUP_SLOTS = 5;

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

export function configExistsError(configPath: string): OpenClawError {
  return new OpenClawError("OC_ERR_CONFIG_EXISTS", `${configPath} exists; onboarding leaves it as it is`, {
    hint: "rerun with --force to replace it (the old file is kept as openclaw.json.bak), or pass --config <another path>",
    details: { path: configPath },
  });
}

/** Shifts the ring (`.bak.3` → `.bak.4` … `.bak` → `.bak.1`) and copies the current file to `.bak`. */
export async function backupConfig(configPath: string): Promise<string> {
  const slot = (index: number) => (index === 0 ? `${configPath}.bak` : `${configPath}.bak.${index}`);
  for (let index = BACKUP_SLOTS - 2; index >= 0; index -= 1) {
    if (await fileExists(slot(index))) await rename(slot(index), slot(index + 1));
  }
  // A copy, not a rename: the old config stays in place until the new one replaces it whole.
  await copyFile(configPath, slot(0));
  return slot(0);
}

/**
 * Writes a secret alone on one line, mode 0600 in a 0700 directory: what the file source
 * requires of it, so that the gateway reads it rather than refusing it as readable by others.
 */
export async function writeSecretFile(path: string, value: string): Promise<void> {
  await writeFileAtomic(path, `${value}\n`, 0o600);
}

export interface WriteConfigOptions {
  force: boolean;
}

/**
 * Writes the config atomically. Without `force` an existing file is never replaced, not even
 * one created while onboarding asked its questions (the exclusive link fails then).
 * Returns the backup's path when a file was replaced.
 */
export async function writeConfigFile(
  configPath: string,
  text: string,
  options: WriteConfigOptions,
): Promise<string | undefined> {
  const exists = await fileExists(configPath);
  if (exists && !options.force) throw configExistsError(configPath);
  const backup = exists ? await backupConfig(configPath) : undefined;
  try {
    await writeFileAtomic(configPath, text, 0o600, { exclusive: !exists });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw configExistsError(configPath);
    throw error;
  }
  return backup;
}
