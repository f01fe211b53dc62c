import { statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { useTempSqliteStore, vector } from "../testing/temp-sqlite-store.js";
import { memoryContentHash, SCHEMA_VERSION, toKeywordQuery } from "./index.js";

describe("SqliteMemoryStore", () => {
  const temp = useTempSqliteStore();
  const { open, inspect } = temp;

  describe("records", () => {
    it("adds and reads back a memory with a generated UUID v7 id", async () => {
      const store = open();
      const record = await store.add({
        text: "The user prefers dark mode",
        tags: ["ui", "pref", "ui"],
        source: { sessionKey: "s1" },
      });
      expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(record.tags).toEqual(["ui", "pref"]);
      expect(record.createdAt).toBe(record.updatedAt);
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.count()).toBe(1);
      expect(await store.get("missing")).toBeUndefined();
    });

    it("replaces a memory added again under the same id, keeping createdAt", async () => {
      const store = open();
      const first = await store.add({ id: "pref:editor", text: "uses vim", tags: ["editor"] });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await store.add({ id: "pref:editor", text: "uses helix", tags: ["tools"] });
      expect(await store.count()).toBe(1);
      expect(second.createdAt).toBe(first.createdAt);
      expect(second.updatedAt > first.updatedAt).toBe(true);
      expect((await store.get("pref:editor"))?.text).toBe("uses helix");
      expect((await store.search("vim")).hits).toEqual([]);
      expect((await store.search("helix")).hits.map((hit) => hit.record.id)).toEqual(["pref:editor"]);
      expect((await store.search("helix", { tags: ["editor"] })).hits).toEqual([]);
    });

    it("adds a batch in one transaction", async () => {
      const store = open({ dimensions: 2 });
      const records = await store.addMany([{ text: "one", vector: vector(1, 0) }, { text: "two" }]);
      expect(records.map((record) => record.text)).toEqual(["one", "two"]);
      expect((await store.withoutVector(10)).map((record) => record.text)).toEqual(["two"]);
      expect(await store.addMany([])).toEqual([]);
    });

    it("keeps everything across a reopen of the file", async () => {
      const store = open({ dimensions: 2 });
      const record = await store.add({ text: "the deploy key lives in vault", tags: ["ops"] }, vector(1, 0));
      await store.cacheEmbedding("model-a", memoryContentHash("x"), vector(0.5, 0.5));
      await store.close();
      const reopened = open({ dimensions: 2 });
      expect(await reopened.get(record.id)).toEqual(record);
      expect(await reopened.count()).toBe(1);
      expect(await reopened.outboxDepth()).toBe(1);
      expect((await reopened.pendingOutbox(10))[0]?.vector).toEqual([1, 0]);
      expect((await reopened.search("vault", { vector: vector(1, 0.1) })).hits[0]?.vectorRank).toBe(1);
      expect(await reopened.cachedEmbedding("model-a", memoryContentHash("x"))).toEqual(vector(0.5, 0.5));
    });

    it("writes a private WAL file with synchronous=FULL and the current schema version", async () => {
      const store = open();
      await store.add({ text: "x" });
      expect(statSync(temp.path).mode & 0o777).toBe(0o600);
      expect(inspect<{ journal_mode: string }>("PRAGMA journal_mode")[0]?.journal_mode).toBe("wal");
      expect(inspect<{ user_version: number }>("PRAGMA user_version")[0]?.user_version).toBe(SCHEMA_VERSION);
    });

    it("refuses a file written by a newer schema version", async () => {
      open().close();
      const db = new DatabaseSync(temp.path);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      expect(() => open()).toThrow(/schema version/);
    });
  });

  describe("search", () => {
    it("ranks keyword matches by bm25: more and rarer query words first", async () => {
      const store = open();
      await store.addMany([
        { id: "both", text: "The staging database password rotates every month" },
        { id: "one", text: "The staging server restarts nightly" },
        { id: "none", text: "Lunch is at noon" },
        { id: "common", text: "The the the the" },
      ]);
      const result = await store.search("staging password?");
      expect(result.mode).toBe("keyword");
      expect(result.hits.map((hit) => hit.record.id)).toEqual(["both", "one"]);
      expect(result.hits.map((hit) => hit.keywordRank)).toEqual([1, 2]);
      expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score);
    });

    it("treats the query as words, never as FTS5 syntax", async () => {
      const store = open();
      await store.add({ id: "a", text: 'He said "NEAR" and OR, then col:umn* ^start' });
      for (const query of ['"unbalanced', "NEAR(a b)", "col:umn*", "^start", "AND", "a OR", "-x", "(", "*"]) {
        await expect(store.search(query)).resolves.toBeDefined();
      }
      expect((await store.search('said "near')).hits.map((hit) => hit.record.id)).toEqual(["a"]);
      expect((await store.search("OR")).hits.map((hit) => hit.record.id)).toEqual(["a"]);
      expect(toKeywordQuery('x" OR y*')).toBe('"x" OR "or" OR "y"');
    });

    it("returns nothing, not an error, for an empty or punctuation-only query", async () => {
      const store = open();
      await store.add({ text: "something" });
      for (const query of ["", "   ", "?!…", '"', "***"]) {
        expect(await store.search(query)).toEqual({ hits: [], mode: "keyword" });
      }
    });

    it("matches stems and ignores case and diacritics", async () => {
      const store = open();
      await store.add({ id: "a", text: "Deploying the CAFÉ service" });
      expect((await store.search("deployed cafe")).hits.map((hit) => hit.record.id)).toEqual(["a"]);
    });

    it("fuses keyword and vector ranks: a memory found by both outranks those found by one", async () => {
      const store = open({ dimensions: 3 });
      await store.addMany([
        // Best keyword match, no vector: found by keyword search only.
        { id: "keyword-only", text: "invoice invoice invoice totals" },
        // Nearest vector, no keyword match: found by vector search only.
        { id: "vector-only", text: "quarterly billing figures", vector: vector(1, 0, 0) },
        // Second in each list.
        { id: "both", text: "invoice for march", vector: vector(0.9, 0.3, 0) },
        { id: "far", text: "cat pictures", vector: vector(0, 0, 1) },
      ]);
      const result = await store.search("invoice", { vector: vector(1, 0, 0) });
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

    it("falls back to keyword mode when no query vector is given", async () => {
      const store = open({ dimensions: 2 });
      await store.add({ id: "a", text: "alpha" }, vector(1, 0));
      const result = await store.search("alpha");
      expect(result.mode).toBe("keyword");
      expect(result.hits[0]).toMatchObject({ record: { id: "a" }, keywordRank: 1 });
      expect(result.hits[0]!.vectorRank).toBeUndefined();
    });

    it("searches by vector alone when the query has no words", async () => {
      const store = open({ dimensions: 2 });
      await store.addMany([
        { id: "near", text: "alpha", vector: vector(1, 0.1) },
        { id: "far", text: "beta", vector: vector(-1, 0) },
      ]);
      const result = await store.search("", { vector: vector(1, 0) });
      expect(result.mode).toBe("vector");
      expect(result.hits.map((hit) => hit.record.id)).toEqual(["near", "far"]);
      expect(result.hits[0]!.score).toBeCloseTo(0.995, 2);
      expect(result.hits[1]!.score).toBeCloseTo(-1);
    });

    it("applies the tag filter (all given tags) in every mode", async () => {
      const store = open({ dimensions: 2 });
      await store.addMany([
        { id: "work", text: "meeting notes", tags: ["work", "notes"], vector: vector(1, 0) },
        { id: "home", text: "meeting the plumber", tags: ["home", "notes"], vector: vector(1, 0.01) },
      ]);
      const ids = (result: { hits: { record: { id: string } }[] }) => result.hits.map((hit) => hit.record.id);
      expect(ids(await store.search("meeting", { tags: ["work"] }))).toEqual(["work"]);
      expect(ids(await store.search("meeting", { tags: ["home"], vector: vector(1, 0) }))).toEqual(["home"]);
      expect(ids(await store.search("", { tags: ["home"], vector: vector(1, 0) }))).toEqual(["home"]);
      expect(ids(await store.search("meeting", { tags: ["notes", "work"] }))).toEqual(["work"]);
      expect(ids(await store.search("meeting", { tags: ["work", "home"] }))).toEqual([]);
      expect(ids(await store.search("meeting", { tags: ["notes"] })).sort()).toEqual(["home", "work"]);
    });

    it("returns 8 hits by default and caps the limit at 100", async () => {
      const store = open();
      await store.addMany(Array.from({ length: 120 }, (_, index) => ({ text: `note number ${index}` })));
      expect((await store.search("note")).hits).toHaveLength(8);
      expect((await store.search("note", { limit: 3 })).hits).toHaveLength(3);
      expect((await store.search("note", { limit: 500 })).hits).toHaveLength(100);
      await expect(store.search("note", { limit: 0 })).rejects.toThrow(OpenClawError);
    });
  });
});
