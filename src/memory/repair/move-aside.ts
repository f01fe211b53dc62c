import { existsSync, renameSync } from "node:fs";

/** SQLite's companions of a database file: the WAL holds recent writes, so it moves with it. */
const COMPANIONS = ["", "-wal", "-shm"] as const;

/**
 * Moves a damaged store and its -wal/-shm aside as `<file>.corrupt-<UTC time>` (the WAL as
 * `…-wal`, where SQLite looks for it), so the store can be rebuilt in place while the damaged
 * file stays for a closer look or a manual recovery. Returns the paths it moved to.
 */
export function moveStoreAside(path: string, now = new Date()): { asidePath: string; moved: string[] } {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  let asidePath = `${path}.corrupt-${stamp}`;
  for (let attempt = 2; COMPANIONS.some((suffix) => existsSync(`${asidePath}${suffix}`)); attempt++) {
    asidePath = `${path}.corrupt-${stamp}-${attempt}`;
  }
  const moved: string[] = [];
  for (const suffix of COMPANIONS) {
    if (!existsSync(`${path}${suffix}`)) continue;
    renameSync(`${path}${suffix}`, `${asidePath}${suffix}`);
    moved.push(`${asidePath}${suffix}`);
  }
  return { asidePath, moved };
}
