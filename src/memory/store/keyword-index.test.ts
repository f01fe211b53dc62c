import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KeywordIndex } from "./keyword-index.js";
import { toKeywordQuery } from "./keyword-query.js";
import { MemoryOutboxTable } from "./outbox.js";
import { SqliteMemoryStore } from "./sqlite-memory-store.js";

// Words chosen to stress tokenizing: porter stems (run/running/runs), case and diacritics folding
// (café/CAFÉ/cafe), non-Latin scripts, digits, a combining mark between letters, an enclosing mark
// that FTS5 splits a word at (a phrase, left to FTS5), and common words giving equal bm25 scores.
const WORDS = [
  "run",
  "running",
  "runs",
  "runner",
  "café",
  "CAFÉ",
  "cafe",
  "naïve",
  "naive",
  "Straße",
  "strasse",
  "über",
  "connection",
  "connected",
  "connecting",
  "the",
  "a",
  "İstanbul",
  "日本語",
  "x1",
  "42",
  "a\u0301b",
  "a\u20ddb",
  "ǅemal",
  "ﬁne",
  "fine",
  "OR",
  "NEAR",
];
const SEPARATORS = [" ", ", ", "-", "'", "\n", " (", ": "];

const text = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 0, maxLength: 12 })
  // "!" keeps the text non-empty (the store refuses empty text) while allowing memories of no token.
  .map((parts) => `!${parts.map(([word, separator]) => word + separator).join("")}`);
const query = fc
  .array(fc.tuple(fc.constantFrom(...WORDS, "missing", "*", '"'), fc.constantFrom(...SEPARATORS)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.map(([word, separator]) => word + separator).join(""));

type Operation =
  | { kind: "add"; id: number; text: string; tags: string[] }
  | { kind: "forget"; id: number }
  | { kind: "other"; id: number; text: string }
  | { kind: "search"; query: string; limit: number; tags: string[] };

const id = fc.integer({ min: 0, max: 14 });
const tags = fc.subarray(["t1", "t2"]);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("add" as const), id, text, tags }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("forget" as const), id }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("other" as const), id, text }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("search" as const),
      query,
      limit: fc.integer({ min: 1, max: 20 }),
      tags,
    }),
  },
);

interface Ranked {
  id: string;
  score: number;
}

/** What FTS5 itself answers, through a separate connection and the query the store used before. */
function fts5(path: string, words: string, limit: number, tags: string[] = []): Ranked[] {
  const match = toKeywordQuery(words);
  if (match === undefined) return [];
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const ranked = db
      .prepare(
        `SELECT rowid AS doc_id, bm25(memories_fts) AS rank FROM memories_fts
         WHERE memories_fts MATCH ? AND (? = 0 OR rowid IN (
           SELECT doc_id FROM memory_tags WHERE tag IN (SELECT value FROM json_each(?))
           GROUP BY doc_id HAVING count(*) = ?
         )) ORDER BY rank LIMIT ?`,
      )
      .all(match, tags.length, JSON.stringify(tags), tags.length, limit) as {
      doc_id: number;
      rank: number;
    }[];
    const ids = db.prepare("SELECT id FROM memories WHERE doc_id = ?");
    return ranked.map((row) => ({ id: (ids.get(row.doc_id) as { id: string }).id, score: -row.rank }));
  } finally {
    db.close();
  }
}

describe("in-process keyword index", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("ranks exactly as FTS5's bm25, with or without tag filters, through inserts, updates, forgets and another connection's writes", async () => {
    const search = vi.spyOn(KeywordIndex.prototype, "search");
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 40 }), async (operations) => {
        const dir = mkdtempSync(join(tmpdir(), "keyword-index-"));
        dirs.push(dir);
        const path = join(dir, "memory.sqlite");
        const store = SqliteMemoryStore.open(path, { outbox: false });
        const other = SqliteMemoryStore.open(path, { outbox: false });
        try {
          for (const step of operations) {
            if (step.kind === "add") await store.add({ id: `m${step.id}`, text: step.text, tags: step.tags });
            else if (step.kind === "other") await other.add({ id: `m${step.id}`, text: step.text });
            else if (step.kind === "forget") await store.forget(`m${step.id}`);
            else {
              const result = await store.search(step.query, { limit: step.limit, tags: step.tags });
              const expected = fts5(path, step.query, step.limit, step.tags);
              expect(result.hits.map((hit) => hit.record.id)).toEqual(expected.map((hit) => hit.id));
              result.hits.forEach((hit, index) => {
                expect(Math.abs(hit.score - expected[index]!.score)).toBeLessThanOrEqual(1e-9);
              });
            }
          }
        } finally {
          await store.close();
          await other.close();
        }
      }),
      { numRuns: 60 },
    );
    // The comparison means something only if the index, not the FTS5 fallback, answered.
    expect(search).toHaveBeenCalled();
  });

  it("gives equal scores in doc id order and counts a term repeated by stemming twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyword-index-"));
    dirs.push(dir);
    const path = join(dir, "memory.sqlite");
    const store = SqliteMemoryStore.open(path, { outbox: false });
    try {
      for (let index = 0; index < 30; index++)
        await store.add({ id: `m${index}`, text: index % 3 === 0 ? "running late" : "other words here" });
      const search = vi.spyOn(KeywordIndex.prototype, "search");
      for (const words of ["late", "run running", "running late words"]) {
        const result = await store.search(words, { limit: 7 });
        const expected = fts5(path, words, 7);
        expect(result.hits.map((hit) => hit.record.id)).toEqual(expected.map((hit) => hit.id));
        result.hits.forEach((hit, index) => {
          expect(hit.score).toBeCloseTo(expected[index]!.score, 12);
        });
      }
      expect(search).toHaveBeenCalledTimes(3);
    } finally {
      await store.close();
    }
  });

  it("leaves words FTS5 reads as phrases to FTS5", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyword-index-"));
    dirs.push(dir);
    const path = join(dir, "memory.sqlite");
    const store = SqliteMemoryStore.open(path, { outbox: false });
    try {
      await store.add({ id: "split", text: "a\u20ddb joined" });
      await store.add({ id: "tagged", text: "joined b", tags: ["t"] });
      const search = vi.spyOn(KeywordIndex.prototype, "search");
      // "a⃝b" is one word to the query parser and two tokens to FTS5: the phrase "a b".
      expect((await store.search("a\u20ddb")).hits.map((hit) => hit.record.id)).toEqual(["split"]);
      expect(search).not.toHaveBeenCalled();
      expect((await store.search("joined")).hits).toHaveLength(2);
      expect(search).toHaveBeenCalledTimes(1);
    } finally {
      await store.close();
    }
  });

  it("forgets what a rolled-back transaction wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyword-index-"));
    dirs.push(dir);
    const path = join(dir, "memory.sqlite");
    const store = SqliteMemoryStore.open(path);
    try {
      await store.add({ id: "kept", text: "kept words" });
      expect((await store.search("words")).hits).toHaveLength(1);
      // The first memory reaches the index, then the outbox write of the second fails.
      const enqueue = MemoryOutboxTable.prototype.enqueueUpsert;
      let calls = 0;
      vi.spyOn(MemoryOutboxTable.prototype, "enqueueUpsert").mockImplementation(function (
        this: MemoryOutboxTable,
        ...args
      ) {
        if (++calls === 2) throw new Error("disk full");
        return enqueue.apply(this, args);
      });
      await expect(
        store.addMany([
          { id: "lost", text: "lost words" },
          { id: "second", text: "second" },
        ]),
      ).rejects.toThrow();
      vi.restoreAllMocks();
      const result = await store.search("words lost");
      const expected = fts5(path, "words lost", 8);
      expect(result.hits.map((hit) => hit.record.id)).toEqual(["kept"]);
      expect(expected.map((hit) => hit.id)).toEqual(["kept"]);
      expect(result.hits[0]!.score).toBeCloseTo(expected[0]!.score, 12);
    } finally {
      await store.close();
    }
  });
});
