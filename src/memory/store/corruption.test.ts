import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { overwritePages, pagesOf } from "../testing/damage-store.js";
import { isCorruption, SqliteMemoryStore } from "./index.js";

async function fill(path: string, count: number): Promise<void> {
  const store = SqliteMemoryStore.open(path, { outbox: false });
  await store.addMany(
    Array.from({ length: count }, (_, index) => ({
      text: `fact ${index}: ${"the quick brown fox jumps over the lazy dog ".repeat(4)}`,
      source: { sessionKey: "s" },
    })),
  );
  await store.close();
}

async function rejected(work: Promise<unknown>): Promise<OpenClawError> {
  try {
    await work;
  } catch (error) {
    return error as OpenClawError;
  }
  throw new Error("expected an error");
}

function thrown(work: () => unknown): OpenClawError {
  try {
    work();
  } catch (error) {
    return error as OpenClawError;
  }
  throw new Error("expected an error");
}

describe("a damaged memory store", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "memory-corrupt-"));
    path = join(dir, "main.sqlite");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is refused at open when a page of its memories holds garbage (PRAGMA quick_check)", async () => {
    await fill(path, 200);
    const leaves = pagesOf(path, "memories");
    expect(leaves.length).toBeGreaterThan(3);
    overwritePages(path, [leaves[Math.floor(leaves.length / 2)] as number]);
    // What SQLite alone does: opens it, and even accepts a write.
    const raw = new DatabaseSync(path);
    raw.prepare("INSERT INTO store_meta (key, value) VALUES ('still', 'writes')").run();
    raw.close();
    const error = thrown(() => SqliteMemoryStore.open(path));
    expect(error).toBeInstanceOf(OpenClawError);
    expect(error.code).toBe("OC_ERR_MEMORY_CORRUPT");
    expect(error.message).toContain(path);
    expect(error.hint).toContain("openclaw memory repair");
    expect(isCorruption(error)).toBe(true);
  });

  it("is refused at open when its first page is garbage (not a database)", async () => {
    await fill(path, 5);
    overwritePages(path, [1]);
    const error = thrown(() => SqliteMemoryStore.open(path));
    expect(error.code).toBe("OC_ERR_MEMORY_CORRUPT");
    expect(error.message).toMatch(/file is not a database|malformed/);
  });

  it("found damaged by a later statement, refuses every call from then on and says so once", async () => {
    await fill(path, 50);
    const reasons: string[] = [];
    const store = SqliteMemoryStore.open(path, {
      outbox: false,
      onCorrupt: (reason) => reasons.push(reason),
    });
    expect((await store.search("fox")).hits.length).toBeGreaterThan(0);
    // Another connection (not defensive, as no caller of the store can be) breaks the index.
    const raw = new DatabaseSync(path, { defensive: false });
    raw.exec("UPDATE memories_fts_data SET block = randomblob(length(block)) WHERE length(block) > 100");
    raw.close();
    expect((await rejected(store.search("fox"))).code).toBe("OC_ERR_MEMORY_CORRUPT");
    expect(store.corruption).toMatch(/corrupt|malformed/);
    // SQLite itself would take this write; the store does not, nor any other call.
    expect((await rejected(store.add({ text: "a new fact" }))).code).toBe("OC_ERR_MEMORY_CORRUPT");
    expect((await rejected(store.count())).code).toBe("OC_ERR_MEMORY_CORRUPT");
    expect(reasons).toHaveLength(1);
    await store.close();
  });

  it("checkIntegrity finds what quick_check finds on an open store", async () => {
    await fill(path, 20);
    const store = SqliteMemoryStore.open(path, { outbox: false });
    expect(await store.checkIntegrity()).toBeUndefined();
    const raw = new DatabaseSync(path, { defensive: false });
    raw.exec("UPDATE memories_fts_data SET block = randomblob(length(block)) WHERE length(block) > 100");
    raw.close();
    expect(await store.checkIntegrity()).toMatch(/fts5|corrupt|malformed/);
    expect(store.corruption).toBeDefined();
    await store.close();
  });

  it("restores recovered memories with their ids and times, skipping torn ones", async () => {
    const store = SqliteMemoryStore.open(path, { outbox: false });
    const { restored, invalid } = await store.restore([
      {
        id: "m-1",
        text: "The launch code word is aubergine",
        tags: ["fact"],
        source: { sessionKey: "agent:main:first" },
        createdAt: "2025-01-02T03:04:05.000Z",
        updatedAt: "2025-02-03T04:05:06.000Z",
      },
      { id: "m-2", text: "", tags: [], source: {}, createdAt: "x", updatedAt: "y" },
    ]);
    expect({ restored, invalid }).toEqual({ restored: 1, invalid: 1 });
    expect(await store.get("m-1")).toEqual({
      id: "m-1",
      text: "The launch code word is aubergine",
      tags: ["fact"],
      source: { sessionKey: "agent:main:first" },
      createdAt: "2025-01-02T03:04:05.000Z",
      updatedAt: "2025-02-03T04:05:06.000Z",
    });
    expect((await store.search("aubergine")).hits.map((hit) => hit.record.id)).toEqual(["m-1"]);
    await store.close();
  });
});
