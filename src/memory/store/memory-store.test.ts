import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { MemoryStore, memoryContentHash, SCHEMA_VERSION, toKeywordQuery } from "./index.js";

const vector = (...values: number[]) => new Float32Array(values);

describe("MemoryStore", () => {
  let dir: string;
  let path: string;
  const opened: MemoryStore[] = [];
  const open = (options: { dimensions?: number } = {}) => {
    const store = MemoryStore.open(path, options);
    opened.push(store);
    return store;
  };
  /** A second, raw connection to look inside the file the way no caller can. */
  const inspect = <T>(sql: string, ...parameters: (string | number)[]): T[] => {
    const db = new DatabaseSync(path, { allowExtension: true, readOnly: true });
    try {
      db.loadExtension(sqliteVec.getLoadablePath());
      return db.prepare(sql).all(...parameters) as T[];
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "memory-store-"));
    path = join(dir, "agents", "main.sqlite");
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("records", () => {
    it("adds and reads back a memory with a generated UUID v7 id", () => {
      const store = open();
      const record = store.add({
        text: "The user prefers dark mode",
        tags: ["ui", "pref", "ui"],
        source: { sessionKey: "s1" },
      });
      expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(record.tags).toEqual(["ui", "pref"]);
      expect(record.createdAt).toBe(record.updatedAt);
      expect(store.get(record.id)).toEqual(record);
      expect(store.count()).toBe(1);
      expect(store.get("missing")).toBeUndefined();
    });

    it("replaces a memory added again under the same id, keeping createdAt", async () => {
      const store = open();
      const first = store.add({ id: "pref:editor", text: "uses vim", tags: ["editor"] });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = store.add({ id: "pref:editor", text: "uses helix", tags: ["tools"] });
      expect(store.count()).toBe(1);
      expect(second.createdAt).toBe(first.createdAt);
      expect(second.updatedAt > first.updatedAt).toBe(true);
      expect(store.get("pref:editor")?.text).toBe("uses helix");
      expect(store.search("vim").hits).toEqual([]);
      expect(store.search("helix").hits.map((hit) => hit.record.id)).toEqual(["pref:editor"]);
      expect(store.search("helix", { tags: ["editor"] }).hits).toEqual([]);
    });

    it("adds a batch in one transaction", () => {
      const store = open({ dimensions: 2 });
      const records = store.addMany([{ text: "one", vector: vector(1, 0) }, { text: "two" }]);
      expect(records.map((record) => record.text)).toEqual(["one", "two"]);
      expect(store.withoutVector(10).map((record) => record.text)).toEqual(["two"]);
      expect(store.addMany([])).toEqual([]);
    });

    it("keeps everything across a reopen of the file", () => {
      const store = open({ dimensions: 2 });
      const record = store.add({ text: "the deploy key lives in vault", tags: ["ops"] }, vector(1, 0));
      store.cacheEmbedding("model-a", memoryContentHash("x"), vector(0.5, 0.5));
      store.close();
      const reopened = open({ dimensions: 2 });
      expect(reopened.get(record.id)).toEqual(record);
      expect(reopened.count()).toBe(1);
      expect(reopened.outboxDepth()).toBe(1);
      expect(reopened.pendingOutbox(10)[0]?.vector).toEqual([1, 0]);
      expect(reopened.search("vault", { vector: vector(1, 0.1) }).hits[0]?.vectorRank).toBe(1);
      expect(reopened.cachedEmbedding("model-a", memoryContentHash("x"))).toEqual(vector(0.5, 0.5));
    });

    it("writes a private WAL file with synchronous=FULL and the current schema version", () => {
      const store = open();
      store.add({ text: "x" });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(inspect<{ journal_mode: string }>("PRAGMA journal_mode")[0]?.journal_mode).toBe("wal");
      expect(inspect<{ user_version: number }>("PRAGMA user_version")[0]?.user_version).toBe(SCHEMA_VERSION);
    });

    it("refuses a file written by a newer schema version", () => {
      open().close();
      const db = new DatabaseSync(path);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      expect(() => open()).toThrow(/schema version/);
    });
  });

  describe("search", () => {
    it("ranks keyword matches by bm25: more and rarer query words first", () => {
      const store = open();
      store.addMany([
        { id: "both", text: "The staging database password rotates every month" },
        { id: "one", text: "The staging server restarts nightly" },
        { id: "none", text: "Lunch is at noon" },
        { id: "common", text: "The the the the" },
      ]);
      const result = store.search("staging password?");
      expect(result.mode).toBe("keyword");
      expect(result.hits.map((hit) => hit.record.id)).toEqual(["both", "one"]);
      expect(result.hits.map((hit) => hit.keywordRank)).toEqual([1, 2]);
      expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
    });

    it("treats the query as words, never as FTS5 syntax", () => {
      const store = open();
      store.add({ id: "a", text: 'He said "NEAR" and OR, then col:umn* ^start' });
      for (const query of ['"unbalanced', "NEAR(a b)", "col:umn*", "^start", "AND", "a OR", "-x", "(", "*"]) {
        expect(() => store.search(query)).not.toThrow();
      }
      expect(store.search('said "near').hits.map((hit) => hit.record.id)).toEqual(["a"]);
      expect(store.search("OR").hits.map((hit) => hit.record.id)).toEqual(["a"]);
      expect(toKeywordQuery('x" OR y*')).toBe('"x" OR "or" OR "y"');
    });

    it("returns nothing, not an error, for an empty or punctuation-only query", () => {
      const store = open();
      store.add({ text: "something" });
      for (const query of ["", "   ", "?!…", '"', "***"]) {
        expect(store.search(query)).toEqual({ hits: [], mode: "keyword" });
      }
    });

    it("matches stems and ignores case and diacritics", () => {
      const store = open();
      store.add({ id: "a", text: "Deploying the CAFÉ service" });
      expect(store.search("deployed cafe").hits.map((hit) => hit.record.id)).toEqual(["a"]);
    });

    it("fuses keyword and vector ranks: a memory found by both outranks those found by one", () => {
      const store = open({ dimensions: 3 });
      store.addMany([
        // Best keyword match, no vector: found by keyword search only.
        { id: "keyword-only", text: "invoice invoice invoice totals" },
        // Nearest vector, no keyword match: found by vector search only.
        { id: "vector-only", text: "quarterly billing figures", vector: vector(1, 0, 0) },
        // Second in each list.
        { id: "both", text: "invoice for march", vector: vector(0.9, 0.3, 0) },
        { id: "far", text: "cat pictures", vector: vector(0, 0, 1) },
      ]);
      const result = store.search("invoice", { vector: vector(1, 0, 0) });
      expect(result.mode).toBe("hybrid");
      expect(result.hits[0]).toMatchObject({ record: { id: "both" }, keywordRank: 2, vectorRank: 2 });
      expect(
        result.hits
          .slice(1, 3)
          .map((hit) => hit.record.id)
          .sort(),
      ).toEqual(["keyword-only", "vector-only"]);
      expect(result.hits[0]!.score).toBeCloseTo(2 / 62);
    });

    it("falls back to keyword mode when no query vector is given", () => {
      const store = open({ dimensions: 2 });
      store.add({ id: "a", text: "alpha" }, vector(1, 0));
      const result = store.search("alpha");
      expect(result.mode).toBe("keyword");
      expect(result.hits[0]).toMatchObject({ record: { id: "a" }, keywordRank: 1 });
      expect(result.hits[0]!.vectorRank).toBeUndefined();
    });

    it("searches by vector alone when the query has no words", () => {
      const store = open({ dimensions: 2 });
      store.addMany([
        { id: "near", text: "alpha", vector: vector(1, 0.1) },
        { id: "far", text: "beta", vector: vector(-1, 0) },
      ]);
      const result = store.search("", { vector: vector(1, 0) });
      expect(result.mode).toBe("vector");
      expect(result.hits.map((hit) => hit.record.id)).toEqual(["near", "far"]);
      expect(result.hits[0]!.score).toBeCloseTo(0.995, 2);
      expect(result.hits[1]!.score).toBeCloseTo(-1);
    });

    it("applies the tag filter (all given tags) in every mode", () => {
      const store = open({ dimensions: 2 });
      store.addMany([
        { id: "work", text: "meeting notes", tags: ["work", "notes"], vector: vector(1, 0) },
        { id: "home", text: "meeting the plumber", tags: ["home", "notes"], vector: vector(1, 0.01) },
      ]);
      const ids = (result: { hits: { record: { id: string } }[] }) => result.hits.map((hit) => hit.record.id);
      expect(ids(store.search("meeting", { tags: ["work"] }))).toEqual(["work"]);
      expect(ids(store.search("meeting", { tags: ["home"], vector: vector(1, 0) }))).toEqual(["home"]);
      expect(ids(store.search("", { tags: ["home"], vector: vector(1, 0) }))).toEqual(["home"]);
      expect(ids(store.search("meeting", { tags: ["notes", "work"] }))).toEqual(["work"]);
      expect(ids(store.search("meeting", { tags: ["work", "home"] }))).toEqual([]);
      expect(ids(store.search("meeting", { tags: ["notes"] })).sort()).toEqual(["home", "work"]);
    });

    it("returns 8 hits by default and caps the limit at 100", () => {
      const store = open();
      store.addMany(Array.from({ length: 120 }, (_, index) => ({ text: `note number ${index}` })));
      expect(store.search("note").hits).toHaveLength(8);
      expect(store.search("note", { limit: 3 }).hits).toHaveLength(3);
      expect(store.search("note", { limit: 500 }).hits).toHaveLength(100);
      expect(() => store.search("note", { limit: 0 })).toThrow(OpenClawError);
    });
  });

  describe("forget and replaceSource", () => {
    it("forgets a memory from the table, the keyword index and the vector index, and enqueues a delete", () => {
      const store = open({ dimensions: 2 });
      const kept = store.add({ text: "zebra crossing", tags: ["t"] }, vector(0, 1));
      const gone = store.add({ text: "zebra stripes", tags: ["t"] }, vector(1, 0));
      expect(store.forget(gone.id)).toBe(true);
      expect(store.get(gone.id)).toBeUndefined();
      expect(store.search("stripes").hits).toEqual([]);
      expect(store.search("", { vector: vector(1, 0) }).hits.map((hit) => hit.record.id)).toEqual([kept.id]);
      store.close();
      expect(inspect("SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'stripes'")).toEqual([]);
      expect(
        inspect<{ n: number }>("SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH 'zebra'")[0]
          ?.n,
      ).toBe(1);
      expect(inspect<{ n: number }>("SELECT count(*) AS n FROM memory_vectors")[0]?.n).toBe(1);
      expect(inspect<{ n: number }>("SELECT count(*) AS n FROM memory_tags")[0]?.n).toBe(1);
      const reopened = open({ dimensions: 2 });
      expect(reopened.pendingOutbox(10).at(-1)).toMatchObject({ op: "delete", memoryId: gone.id });
      expect(reopened.pendingOutbox(10).at(-1)?.record).toBeUndefined();
      expect(reopened.forget(gone.id)).toBe(false);
      expect(reopened.outboxDepth()).toBe(3);
    });

    it("swaps the chunks of a workspace file atomically", () => {
      const store = open({ dimensions: 2 });
      const other = store.add({ text: "unrelated note about docs", source: { path: "other.md" } });
      expect(
        store.replaceSource("docs/README.md", [
          { text: "install with npm" },
          { text: "run the docs server" },
        ]),
      ).toEqual({ added: 2, removed: 0 });
      expect(
        store.replaceSource("docs/README.md", [{ text: "install with pnpm", vector: vector(1, 0) }]),
      ).toEqual({ added: 1, removed: 2 });
      expect(store.count()).toBe(2);
      expect(store.search("npm server").hits).toEqual([]);
      const hit = store.search("pnpm").hits[0]!;
      expect(hit.record.source).toEqual({ path: "docs/README.md" });
      expect(store.get(other.id)).toBeDefined();

      const depth = store.outboxDepth();
      expect(() => store.replaceSource("docs/README.md", [{ text: "fine" }, { text: "" }])).toThrow(
        OpenClawError,
      );
      expect(store.search("pnpm").hits).toHaveLength(1);
      expect(store.outboxDepth()).toBe(depth);

      expect(store.replaceSource("docs/README.md", [])).toEqual({ added: 0, removed: 1 });
      expect(store.count()).toBe(1);
      const ops = store.pendingOutbox(100).map((entry) => entry.op);
      expect(ops).toEqual(["upsert", "upsert", "upsert", "delete", "delete", "upsert", "delete"]);
    });
  });

  describe("outbox", () => {
    it("hands out entries in seq order with the record and vector, and drops acknowledged ones", () => {
      const store = open({ dimensions: 2 });
      expect(store.oldestPendingAt()).toBeUndefined();
      const a = store.add({ text: "a" }, vector(0.5, 0.25));
      const b = store.add({ text: "b" });
      store.setVector(b.id, vector(0, 1));
      store.forget(a.id);
      const entries = store.pendingOutbox(10);
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
      expect(store.oldestPendingAt()).toBe(entries[0]?.enqueuedAt);
      expect(store.pendingOutbox(2)).toHaveLength(2);

      store.ackOutbox([entries[0]!.seq, entries[1]!.seq]);
      expect(store.outboxDepth()).toBe(2);
      expect(store.oldestPendingAt()).toBe(entries[2]?.enqueuedAt);
      store.ackOutbox([entries[2]!.seq, entries[3]!.seq, 999_999]);
      expect(store.outboxDepth()).toBe(0);
      // Seqs are never reused after an ack.
      store.add({ text: "c" });
      expect(store.pendingOutbox(1)[0]!.seq).toBeGreaterThan(entries[3]!.seq);
    });

    it("enqueues an upsert for every memory on resync", () => {
      const store = open({ dimensions: 2 });
      const [a, b] = store.addMany([
        { text: "a", tags: ["x"], source: { path: "f.md" }, vector: vector(1, 0) },
        { text: "b" },
      ]);
      store.ackOutbox(store.pendingOutbox(10).map((entry) => entry.seq));
      expect(store.enqueueAll()).toBe(2);
      const entries = store.pendingOutbox(10);
      expect(entries.map((entry) => entry.op)).toEqual(["upsert", "upsert"]);
      expect(entries[0]).toMatchObject({ memoryId: a!.id, record: a, vector: [1, 0] });
      expect(entries[1]).toMatchObject({ memoryId: b!.id, record: b });
      expect(entries[1]?.vector).toBeUndefined();
    });
  });

  describe("vectors", () => {
    it("tracks what still needs an embedding and stores re-embeddings", () => {
      const store = open({ dimensions: 2 });
      const [a, b] = store.addMany([{ text: "a" }, { text: "b" }]);
      expect(store.withoutVector(10).map((record) => record.id)).toEqual([a!.id, b!.id]);
      store.setVector(a!.id, vector(1, 0));
      store.setVector(a!.id, vector(0, 1));
      expect(store.withoutVector(10).map((record) => record.id)).toEqual([b!.id]);
      expect(store.search("", { vector: vector(0, 1) }).hits[0]?.record.id).toBe(a!.id);
      expect(() => store.setVector("missing", vector(1, 0))).toThrow(/no memory/);
    });

    it("keeps a vector when a memory is re-added with the same text, drops it when the text changes", () => {
      const store = open({ dimensions: 2 });
      store.add({ id: "m", text: "same" }, vector(1, 0));
      store.add({ id: "m", text: "same", tags: ["new"] });
      expect(store.withoutVector(10)).toEqual([]);
      expect(store.pendingOutbox(10).at(-1)?.vector).toEqual([1, 0]);
      store.add({ id: "m", text: "changed" });
      expect(store.withoutVector(10).map((record) => record.id)).toEqual(["m"]);
      expect(store.search("", { vector: vector(1, 0) }).hits).toEqual([]);
    });

    it("resets vectors for a new model size, including those waiting in the outbox", () => {
      const store = open({ dimensions: 2 });
      const record = store.add({ text: "a" }, vector(1, 0));
      store.resetVectors(3);
      expect(store.dimensions).toBe(3);
      expect(store.withoutVector(10).map((entry) => entry.id)).toEqual([record.id]);
      expect(store.pendingOutbox(10)[0]?.vector).toBeUndefined();
      expect(() => store.setVector(record.id, vector(1, 0))).toThrow(/3-dimension/);
      store.setVector(record.id, vector(0, 0, 1));
      expect(store.search("a", { vector: vector(0, 0, 1) }).hits[0]?.vectorRank).toBe(1);
      store.close();
      expect(open({ dimensions: 3 }).dimensions).toBe(3);
    });

    it("refuses to open with another vector size, and opens keyword-only to reset", () => {
      open({ dimensions: 2 }).add({ text: "a" }, vector(1, 0));
      opened[0]!.close();
      expect(() => open({ dimensions: 3 })).toThrow(/holds 2-dimension vectors/);
      const keywordOnly = open();
      expect(keywordOnly.dimensions).toBeUndefined();
      expect(keywordOnly.search("a", {}).hits).toHaveLength(1);
      // The vector table is kept in step even without an embedder.
      const other = keywordOnly.add({ text: "b" });
      keywordOnly.forget(keywordOnly.search("a").hits[0]!.record.id);
      keywordOnly.resetVectors(3);
      expect(keywordOnly.withoutVector(10).map((record) => record.id)).toEqual([other.id]);
    });

    it("caches embeddings by model and content hash", () => {
      const store = open();
      const hash = memoryContentHash("hello");
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(store.cachedEmbedding("m1", hash)).toBeUndefined();
      store.cacheEmbedding("m1", hash, vector(0.1, 0.2, 0.3));
      expect(store.cachedEmbedding("m1", hash)).toEqual(vector(0.1, 0.2, 0.3));
      expect(store.cachedEmbedding("m2", hash)).toBeUndefined();
      expect(() => store.cacheEmbedding("m1", hash, vector(Number.NaN))).toThrow(OpenClawError);
    });
  });

  describe("bad input is refused and nothing is written", () => {
    const tooLong = "é".repeat(16 * 1024 + 1); // 32 KiB + 2 bytes in UTF-8, under 32 Ki characters.
    const cases: [string, (store: MemoryStore, existingId: string) => unknown][] = [
      ["empty text", (store) => store.add({ text: "" })],
      ["blank text", (store) => store.add({ text: " \n\t" })],
      ["text over 32 KiB of UTF-8", (store) => store.add({ text: tooLong })],
      ["a lone high surrogate", (store) => store.add({ text: "broken \ud800 text" })],
      ["a lone low surrogate", (store) => store.add({ text: "\udc00" })],
      ["non-string text", (store) => store.add({ text: 42 as any })],
      [
        "33 tags",
        (store) => store.add({ text: "x", tags: Array.from({ length: 33 }, (_, index) => `t${index}`) }),
      ],
      ["a 65-character tag", (store) => store.add({ text: "x", tags: ["a".repeat(65)] })],
      ["an empty tag", (store) => store.add({ text: "x", tags: [""] })],
      ["a bad id", (store) => store.add({ id: "../etc/passwd", text: "x" })],
      ["a bad source", (store) => store.add({ text: "x", source: { path: 7 as any } })],
      ["a short vector", (store) => store.add({ text: "x" }, vector(1, 2))],
      ["a long vector", (store) => store.add({ text: "x" }, vector(1, 2, 3, 4))],
      ["NaN in a vector", (store) => store.add({ text: "x" }, vector(1, Number.NaN, 0))],
      ["Infinity in a vector", (store) => store.add({ text: "x" }, vector(1, Number.POSITIVE_INFINITY, 0))],
      ["a zero vector", (store) => store.add({ text: "x" }, vector(0, 0, 0))],
      ["a number array as vector", (store) => store.add({ text: "x" }, [1, 0, 0] as any)],
      [
        "one bad memory in a batch",
        (store) => store.addMany([{ text: "fine" }, { text: "" }, { text: "fine too" }]),
      ],
      [
        "a bad vector in a batch",
        (store) => store.addMany([{ text: "fine" }, { text: "x", vector: vector(1) }]),
      ],
      ["a bad chunk", (store) => store.replaceSource("f.md", [{ text: "ok" }, { text: "\ud800" }])],
      ["an empty source path", (store) => store.replaceSource("", [{ text: "ok" }])],
      ["a bad re-embedding", (store, id) => store.setVector(id, vector(Number.NaN, 0, 0))],
      ["a bad query vector", (store) => store.search("x", { vector: vector(1) })],
      ["too many filter tags", (store) => store.search("x", { tags: Array.from({ length: 33 }, String) })],
      ["a bad ack", (store) => store.ackOutbox(["1" as any])],
    ];
    it.each(cases)("%s", (_name, attempt) => {
      const store = open({ dimensions: 3 });
      const existing = store.add({ text: "existing memory" }, vector(1, 0, 0));
      const before = { count: store.count(), depth: store.outboxDepth(), pending: store.pendingOutbox(100) };
      let thrown: unknown;
      try {
        attempt(store, existing.id);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OpenClawError);
      expect((thrown as OpenClawError).code).toBe("OC_ERR_BAD_REQUEST");
      expect(store.count()).toBe(before.count);
      expect(store.outboxDepth()).toBe(before.depth);
      expect(store.pendingOutbox(100)).toEqual(before.pending);
      expect(store.get(existing.id)).toEqual(existing);
    });

    it("refuses any vector when no embedder is configured", () => {
      const store = open();
      expect(() => store.add({ text: "x" }, vector(1))).toThrow(/no embedder/);
      expect(() => store.search("x", { vector: vector(1) })).toThrow(/no embedder/);
      expect(store.count()).toBe(0);
      expect(store.outboxDepth()).toBe(0);
    });

    it("refuses work after close", () => {
      const store = open();
      store.close();
      expect(() => store.add({ text: "x" })).toThrow(/closed/);
      store.close();
    });
  });
});
