import type { DatabaseSync } from "node:sqlite";

function userVersion(db: DatabaseSync): number {
  return Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
}

/**
 * Brings the file to `migrations.length` (`PRAGMA user_version`) in one transaction, step by step
 * from whatever version an earlier build left; a newer file is refused, not touched.
 */
export function migrateDurableSqlite(
  db: DatabaseSync,
  migrations: readonly string[],
  refuseNewer: (version: number) => Error,
): void {
  const current = userVersion(db);
  if (current > migrations.length) throw refuseNewer(current);
  if (current === migrations.length) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Read again under the write lock: the CLI may have created the tables meanwhile.
    const locked = userVersion(db);
    if (locked > migrations.length) throw refuseNewer(locked);
    for (let version = locked; version < migrations.length; version++) db.exec(migrations[version]!);
    db.exec(`PRAGMA user_version = ${migrations.length}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
