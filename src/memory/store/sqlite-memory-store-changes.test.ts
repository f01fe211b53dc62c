import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { useTempSqliteStore, vector } from "../testing/temp-sqlite-store.js";
import { memoryContentHash } from "./index.js";

describe("SqliteMemoryStore changes", () => {
  const { open, inspect, opened } = useTempSqliteStore();

  describe("forget and replaceSource", () => {
    it("forgets a memory from the table, the keyword index and the vector index, and enqueues a delete", async () => {
      const store = open({ dimensions: 2 });
      const kept = await store.add({ text: "zebra crossing", tags: ["t"] }, vector(0, 1));
      const gone = await store.add({ text: "zebra stripes", tags: ["t"] }, vector(1, 0));
      expect(await store.forget(gone.id)).toBe(true);
      expect(await store.get(gone.id)).toBeUndefined();
      expect((await store.search("stripes")).hits).toEqual([]);
      expect((await store.search("", { vector: vector(1, 0) })).hits.map((hit) => hit.record.id)).toEqual([
        kept.id,
      ]);
      await store.close();
      expect(inspect("SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'stripes'")).toEqual([]);
      expect(
        inspect<{ n: number }>("SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH 'zebra'")[0]
          ?.n,
      ).toBe(1);
      expect(inspect<{ n: number }>("SELECT count(*) AS n FROM memory_vectors")[0]?.n).toBe(1);
      expect(inspect<{ n: number }>("SELECT count(*) AS n FROM memory_tags")[0]?.n).toBe(1);
      const reopened = open({ dimensions: 2 });
      expect((await reopened.pendingOutbox(10)).at(-1)).toMatchObject({ op: "delete", memoryId: gone.id });
      expect((await reopened.pendingOutbox(10)).at(-1)?.record).toBeUndefined();
      expect(await reopened.forget(gone.id)).toBe(false);
      expect(await reopened.outboxDepth()).toBe(3);
    });

    it("swaps the chunks of a workspace file atomically", async () => {
      const store = open({ dimensions: 2 });
      const other = await store.add({ text: "unrelated note about docs", source: { path: "other.md" } });
      expect(
        await store.replaceSource("docs/README.md", [
          { text: "install with npm" },
          { text: "run the docs server" },
        ]),
      ).toEqual({ added: 2, removed: 0 });
      expect(
        await store.replaceSource("docs/README.md", [{ text: "install with pnpm", vector: vector(1, 0) }]),
      ).toEqual({ added: 1, removed: 2 });
      expect(await store.count()).toBe(2);
      expect((await store.search("npm server")).hits).toEqual([]);
      const hit = (await store.search("pnpm")).hits[0]!;
      expect(hit.record.source).toEqual({ path: "docs/README.md" });
      expect(await store.get(other.id)).toBeDefined();

      const depth = await store.outboxDepth();
      await expect(store.replaceSource("docs/README.md", [{ text: "fine" }, { text: "" }])).rejects.toThrow(
        OpenClawError,
      );
      expect((await store.search("pnpm")).hits).toHaveLength(1);
      expect(await store.outboxDepth()).toBe(depth);

      expect(await store.replaceSource("docs/README.md", [])).toEqual({ added: 0, removed: 1 });
      expect(await store.count()).toBe(1);
      const ops = (await store.pendingOutbox(100)).map((entry) => entry.op);
      expect(ops).toEqual(["upsert", "upsert", "upsert", "delete", "delete", "upsert", "delete"]);
    });
  });

  describe("outbox", () => {
    it("hands out entries in seq order with the record and vector, and drops acknowledged ones", async () => {
      const store = open({ dimensions: 2 });
      expect(await store.oldestPendingAt()).toBeUndefined();
      const a = await store.add({ text: "a" }, vector(0.5, 0.25));
      const b = await store.add({ text: "b" });
      await store.setVector(b.id, vector(0, 1));
      await store.forget(a.id);
      const entries = await store.pendingOutbox(10);
      expect(entries.map((entry) => [entry.op, entry.memoryId])).toEqual([
        ["upsert", a.id],
        ["upsert", b.id],
        ["upsert", b.id],
        ["delete", a.id],
      ]);
      expect(entries.map((entry) => entry.seq)).toEqual(
        [...entries.map((entry) => entry.seq)].sort((x, y) => x - y),
      );
      expect(entries[0]).toMatchObject({ record: a, vector: [0.5, 0.25] });
      expect(entries[1]?.vector).toBeUndefined();
      expect(entries[2]).toMatchObject({ record: b, vector: [0, 1] });
      expect(await store.oldestPendingAt()).toBe(entries[0]?.enqueuedAt);
      expect(await store.pendingOutbox(2)).toHaveLength(2);

      await store.ackOutbox([entries[0]!.seq, entries[1]!.seq]);
      expect(await store.outboxDepth()).toBe(2);
      expect(await store.oldestPendingAt()).toBe(entries[2]?.enqueuedAt);
      await store.ackOutbox([entries[2]!.seq, entries[3]!.seq, 999_999]);
      expect(await store.outboxDepth()).toBe(0);
      // Seqs are never reused after an ack.
      await store.add({ text: "c" });
      expect((await store.pendingOutbox(1))[0]!.seq).toBeGreaterThan(entries[3]!.seq);
    });

    it("enqueues an upsert for every memory on resync", async () => {
      const store = open({ dimensions: 2 });
      const [a, b] = await store.addMany([
        { text: "a", tags: ["x"], source: { path: "f.md" }, vector: vector(1, 0) },
        { text: "b" },
      ]);
      await store.ackOutbox((await store.pendingOutbox(10)).map((entry) => entry.seq));
      expect(await store.enqueueAll()).toBe(2);
      const entries = await store.pendingOutbox(10);
      expect(entries.map((entry) => entry.op)).toEqual(["upsert", "upsert"]);
      expect(entries[0]).toMatchObject({ memoryId: a!.id, record: a, vector: [1, 0] });
      expect(entries[1]).toMatchObject({ memoryId: b!.id, record: b });
      expect(entries[1]?.vector).toBeUndefined();
    });
  });

  describe("vectors", () => {
    it("tracks what still needs an embedding and stores re-embeddings", async () => {
      const store = open({ dimensions: 2 });
      const [a, b] = await store.addMany([{ text: "a" }, { text: "b" }]);
      expect((await store.withoutVector(10)).map((record) => record.id)).toEqual([a!.id, b!.id]);
      await store.setVector(a!.id, vector(1, 0));
      await store.setVector(a!.id, vector(0, 1));
      expect((await store.withoutVector(10)).map((record) => record.id)).toEqual([b!.id]);
      expect((await store.search("", { vector: vector(0, 1) })).hits[0]?.record.id).toBe(a!.id);
      await expect(store.setVector("missing", vector(1, 0))).rejects.toThrow(/no memory/);
    });

    it("keeps a vector when a memory is re-added with the same text, drops it when the text changes", async () => {
      const store = open({ dimensions: 2 });
      await store.add({ id: "m", text: "same" }, vector(1, 0));
      await store.add({ id: "m", text: "same", tags: ["new"] });
      expect(await store.withoutVector(10)).toEqual([]);
      expect((await store.pendingOutbox(10)).at(-1)?.vector).toEqual([1, 0]);
      await store.add({ id: "m", text: "changed" });
      expect((await store.withoutVector(10)).map((record) => record.id)).toEqual(["m"]);
      expect((await store.search("", { vector: vector(1, 0) })).hits).toEqual([]);
    });

    it("resets vectors for a new model size, including those waiting in the outbox", async () => {
      const store = open({ dimensions: 2 });
      const record = await store.add({ text: "a" }, vector(1, 0));
      await store.resetVectors(3);
      expect(store.dimensions).toBe(3);
      expect((await store.withoutVector(10)).map((entry) => entry.id)).toEqual([record.id]);
      expect((await store.pendingOutbox(10))[0]?.vector).toBeUndefined();
      await expect(store.setVector(record.id, vector(1, 0))).rejects.toThrow(/3-dimension/);
      await store.setVector(record.id, vector(0, 0, 1));
      expect((await store.search("a", { vector: vector(0, 0, 1) })).hits[0]?.vectorRank).toBe(1);
      await store.close();
      expect(open({ dimensions: 3 }).dimensions).toBe(3);
    });

    it("refuses to open with another vector size, and opens keyword-only to reset", async () => {
      await open({ dimensions: 2 }).add({ text: "a" }, vector(1, 0));
      await opened[0]!.close();
      expect(() => open({ dimensions: 3 })).toThrow(/holds 2-dimension vectors/);
      const keywordOnly = open();
      expect(keywordOnly.dimensions).toBeUndefined();
      expect((await keywordOnly.search("a", {})).hits).toHaveLength(1);
      // The vector table is kept in step even without an embedder.
      const other = await keywordOnly.add({ text: "b" });
      await keywordOnly.forget((await keywordOnly.search("a")).hits[0]!.record.id);
      await keywordOnly.resetVectors(3);
      expect((await keywordOnly.withoutVector(10)).map((record) => record.id)).toEqual([other.id]);
    });

    it("caches embeddings by model and content hash", async () => {
      const store = open();
      const hash = memoryContentHash("hello");
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.cachedEmbedding("m1", hash)).toBeUndefined();
      await store.cacheEmbedding("m1", hash, vector(0.1, 0.2, 0.3));
      expect(await store.cachedEmbedding("m1", hash)).toEqual(vector(0.1, 0.2, 0.3));
      expect(await store.cachedEmbedding("m2", hash)).toBeUndefined();
      await expect(store.cacheEmbedding("m1", hash, vector(Number.NaN))).rejects.toThrow(OpenClawError);
    });
  });
});
