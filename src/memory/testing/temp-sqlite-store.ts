import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { afterEach, beforeEach } from "vitest";
import { SqliteMemoryStore } from "../store/index.js";

export const vector = (...values: number[]) => new Float32Array(values);

/**
 * A fresh store file for each test of a `describe`, every store opened on it closed and the
 * directory removed afterwards.
 */
export function useTempSqliteStore() {
  let dir = "";
  let path = "";
  const opened: SqliteMemoryStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "memory-store-"));
    path = join(dir, "agents", "main.sqlite");
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path(): string {
      return path;
    },
    opened,
    open(options: { dimensions?: number } = {}): SqliteMemoryStore {
      const store = SqliteMemoryStore.open(path, options);
      opened.push(store);
      return store;
    },
    /** A second, raw connection to look inside the file the way no caller can. */
    inspect<T>(sql: string, ...parameters: (string | number)[]): T[] {
      const db = new DatabaseSync(path, { allowExtension: true, readOnly: true });
      try {
        db.loadExtension(sqliteVec.getLoadablePath());
        return db.prepare(sql).all(...parameters) as T[];
      } finally {
        db.close();
      }
    },
  };
}
