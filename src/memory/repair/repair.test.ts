import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RestoredMemory, SqliteMemoryStore } from "../store/index.js";
import { overwritePages, pagesOf } from "../testing/damage-store.js";
import { moveStoreAside, rebuildStore, salvageStore } from "./index.js";

const COUNT = 300;
const textOf = (index: number) => `fact ${index}: ${"a sentence long enough to fill pages ".repeat(4)}`;

/** A real store of COUNT agent memories and a workspace file's chunks, closed (WAL checkpointed). */
async function fill(path: string, outbox: boolean): Promise<void> {
  const store = SqliteMemoryStore.open(path, { outbox });
  await store.addMany(
    Array.from({ length: COUNT }, (_, index) => ({
      id: `m-${String(index).padStart(4, "0")}`,
      text: textOf(index),
      tags: ["fact"],
      source: { sessionKey: "agent:main:s" },
    })),
  );
  await store.replaceSource("MEMORY.md", [{ text: "The staging server is called bramble." }]);
  await store.cacheEmbedding("fake-embed", "hash-1", new Float32Array([0.5, 0.25]));
  await store.close();
}

/** Garbage over one leaf page of the memories table, in the middle. */
function damageOneLeaf(path: string): void {
  const leaves = pagesOf(path, "memories");
  overwritePages(path, [leaves[Math.floor(leaves.length / 2)] as number]);
}

describe("repairing a damaged memory store", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "memory-repair-"));
    path = join(dir, "main.sqlite");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("salvages every row but those on the damaged page, skipping the page and going on", async () => {
    await fill(path, false);
    damageOneLeaf(path);
    const before = readFileSync(path);
    const salvage = salvageStore(path);
    const lost = COUNT - salvage.memories.length;
    expect(lost).toBeGreaterThan(0);
    // One 4 KiB page holds a handful of these rows, not half the table.
    expect(lost).toBeLessThan(30);
    expect(salvage.unreadable).toHaveLength(1);
    expect(salvage.unreadable[0]).toMatchObject({
      table: "memories",
      error: expect.stringMatching(/malformed/),
    });
    const range = salvage.unreadable[0] as { after: number; resumedAfter: number };
    // The lost rows are exactly the keys of the range.
    expect(range.resumedAfter - range.after).toBe(lost);
    // The workspace chunk is read but left out: the files are indexed again instead.
    expect(salvage.workspaceChunks).toBe(1);
    const ids = salvage.memories.map((memory) => memory.id);
    expect(ids).toContain("m-0000");
    expect(ids).toContain(`m-${String(COUNT - 1).padStart(4, "0")}`);
    expect(salvage.memories[0]).toMatchObject({
      text: textOf(0),
      tags: ["fact"],
      source: { sessionKey: "agent:main:s" },
    });
    expect(salvage.embeddings).toEqual([
      { model: "fake-embed", contentHash: "hash-1", vector: new Float32Array([0.5, 0.25]) },
    ]);
    // The damaged file is read through a copy, never written, and the copy is gone.
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes("salvage"))).toEqual([]);
  });

  it("brings back from the outbox the memories whose rows were on the damaged page", async () => {
    await fill(path, true);
    damageOneLeaf(path);
    const salvage = salvageStore(path);
    expect(salvage.fromOutbox).toBeGreaterThan(0);
    expect(salvage.memories).toHaveLength(COUNT);
  });

  it("reads nothing, and says why, from a file whose first page is garbage", async () => {
    await fill(path, false);
    overwritePages(path, [1]);
    const salvage = salvageStore(path);
    expect(salvage.memories).toEqual([]);
    expect(salvage.unreadable[0]?.error).toMatch(/not a database|malformed/);
  });

  it("moves the file and its -wal/-shm aside under one timestamped name", async () => {
    for (const suffix of ["", "-wal", "-shm"]) writeFileSync(`${path}${suffix}`, "x");
    const now = new Date("2025-03-04T05:06:07.890Z");
    const first = moveStoreAside(path, now);
    expect(first.asidePath).toBe(`${path}.corrupt-20250304T050607Z`);
    expect(first.moved).toEqual(["", "-wal", "-shm"].map((suffix) => `${first.asidePath}${suffix}`));
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, "y");
    expect(moveStoreAside(path, now).asidePath).toBe(`${path}.corrupt-20250304T050607Z-2`);
  });

  it("rebuilds in place from the damaged file, Qdrant and the workspace, keeping the damaged file", async () => {
    await fill(path, false);
    damageOneLeaf(path);
    let fresh: SqliteMemoryStore | undefined;
    const lostId = "m-only-in-qdrant";
    const report = await rebuildStore({
      agentId: "main",
      path,
      problem: "database disk image is malformed",
      openFresh: async () => {
        fresh = SqliteMemoryStore.open(path, { outbox: false });
        return fresh;
      },
      qdrantPoints: async () => [
        { memoryId: lostId, text: "Only Qdrant remembers this", tags: [], sessionKey: "agent:main:q" },
        { memoryId: "chunk", text: "a workspace chunk", tags: [], path: "MEMORY.md" },
      ],
      reindexWorkspace: async () => {
        await fresh?.replaceSource("MEMORY.md", [{ text: "The staging server is called thistle." }]);
        return 1;
      },
      now: new Date("2025-03-04T05:06:07Z"),
    });
    const store = fresh as SqliteMemoryStore;
    expect(report.repaired).toBe(true);
    expect(report.keptAside[0]).toBe(`${path}.corrupt-20250304T050607Z`);
    expect(existsSync(report.keptAside[0] as string)).toBe(true);
    expect(report.recovered.qdrant).toBe(1);
    expect(report.recovered.workspaceFiles).toBe(1);
    expect(report.recovered.embeddings).toBe(1);
    expect(report.recovered.damagedFile).toBeGreaterThan(COUNT - 30);
    expect(report.items).toBe(report.recovered.damagedFile + 1 + 1);
    expect(await store.checkIntegrity()).toBeUndefined();
    expect((await store.get(lostId))?.text).toBe("Only Qdrant remembers this");
    expect((await store.get("m-0000"))?.text).toBe(textOf(0));
    expect((await store.search("thistle")).hits).toHaveLength(1);
    expect((await store.search("bramble")).hits).toEqual([]);
    expect((await store.add({ text: "writes work again" })).id).toBeTruthy();
    await store.close();
  });

  it("prefers the newer copy of a memory, and takes Qdrant's vector for the same text", async () => {
    const local: RestoredMemory = {
      id: "m-1",
      text: "same text",
      tags: [],
      source: {},
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-02T00:00:00.000Z",
    };
    const store = SqliteMemoryStore.open(path, { outbox: false, dimensions: 2 });
    await store.restore([local]);
    await store.close();
    let fresh: SqliteMemoryStore | undefined;
    await rebuildStore({
      agentId: "main",
      path,
      problem: "test",
      openFresh: async () => {
        fresh = SqliteMemoryStore.open(path, { outbox: false, dimensions: 2 });
        return fresh;
      },
      qdrantPoints: async () => [
        {
          memoryId: "m-1",
          text: "same text",
          tags: [],
          updatedAt: "2025-01-02T00:00:00.000Z",
          vector: [1, 0],
        },
      ],
    });
    const rebuilt = fresh as SqliteMemoryStore;
    expect(await rebuilt.withoutVector(10)).toEqual([]);
    expect((await rebuilt.get("m-1"))?.createdAt).toBe("2025-01-01T00:00:00.000Z");
    await rebuilt.close();
  });
});
