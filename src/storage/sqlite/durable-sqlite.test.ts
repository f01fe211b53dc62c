import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DurableSqlite, type DurableSqliteSpec } from "./durable-sqlite.js";

const spec = (migrations: readonly string[]): DurableSqliteSpec => ({
  relativePath: join("things", "things.sqlite"),
  writer: "runtime-state",
  label: "thing",
  migrations,
  hints: {
    closed: "closed hint",
    damaged: (path) => `move ${path} aside`,
    newer: (path) => `newer hint for ${path}`,
    busy: "busy hint",
  },
});
const V1 = ["CREATE TABLE things (name TEXT PRIMARY KEY)"];
const V2 = [...V1, "ALTER TABLE things ADD COLUMN size INTEGER"];

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "durable-sqlite-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("DurableSqlite", () => {
  it("creates nothing on a read, and an owner-only file on the first write", () => {
    const dir = stateDir();
    const db = new DurableSqlite(dir, spec(V1));
    expect(
      db.read(
        () => "present",
        () => "absent",
      ),
    ).toBe("absent");
    expect(existsSync(join(dir, "things"))).toBe(false);
    db.write(() => db.statement("INSERT INTO things (name) VALUES (?)").run("a"));
    expect(statSync(db.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(db.path)).mode & 0o777).toBe(0o700);
    db.close();
    expect(() => db.read(() => 1)).toThrow(
      expect.objectContaining({ code: "OC_ERR_INTERNAL", hint: "closed hint" }),
    );
  });

  it("brings an older file forward and refuses a newer one, leaving it as it is", () => {
    const dir = stateDir();
    const old = new DurableSqlite(dir, spec(V1));
    old.write(() => old.statement("INSERT INTO things (name) VALUES (?)").run("a"));
    old.close();
    const current = new DurableSqlite(dir, spec(V2));
    expect(current.read(() => current.statement("SELECT name, size FROM things").all())).toEqual([
      { name: "a", size: null },
    ]);
    current.close();
    const before = readFileSync(current.path);
    const older = new DurableSqlite(dir, spec(V1));
    expect(() => older.read(() => 1)).toThrow(
      expect.objectContaining({
        code: "OC_ERR_STATE_FILE",
        message: `thing database ${current.path} has schema version 2; this gateway understands up to 1`,
        hint: `newer hint for ${current.path}`,
      }),
    );
    expect(readFileSync(current.path)).toEqual(before);
  });

  it("refuses a file cut short inside its first page before SQLite sees it", () => {
    const dir = stateDir();
    const db = new DurableSqlite(dir, spec(V1));
    db.write(() => db.statement("INSERT INTO things (name) VALUES (?)").run("a"));
    db.close();
    const torn = readFileSync(db.path).subarray(0, 200);
    const other = stateDir();
    const path = join(other, "things", "things.sqlite");
    mkdirSync(dirname(path));
    writeFileSync(path, torn);
    const reopened = new DurableSqlite(other, spec(V1));
    expect(() => reopened.read(() => 1)).toThrow(
      expect.objectContaining({
        code: "OC_ERR_STATE_FILE",
        message: expect.stringMatching(/^thing database .* is damaged: it is cut short \(200 bytes/),
        hint: `move ${path} aside`,
      }),
    );
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
