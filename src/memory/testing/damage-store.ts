import { closeSync, openSync, writeSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";

/**
 * Test doubles for a damaged disk: garbage written over whole pages of a real store file, the
 * way a torn write or a failing sector leaves it. The store must be closed (its WAL checkpointed
 * into the file), or SQLite would read the good copy of the page from the WAL.
 */

/** Pages of one table (or index) of a closed store: its leaves, or its root/interior pages. */
export function pagesOf(path: string, name: string, kind: "leaf" | "internal" = "leaf"): number[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno")
      .all(name, kind) as { pageno: number }[];
    return rows.map((row) => Number(row.pageno));
  } finally {
    db.close();
  }
}

/** Overwrites each page (1-based, as SQLite numbers them) with the same byte. */
export function overwritePages(path: string, pages: number[], pageSize = 4096, byte = 0x5a): void {
  const fd = openSync(path, "r+");
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, byte), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
