// bench/memory: one agent's memory store at scale. Inserts BENCH_MEMORY_COUNT (default 100 000)
// synthetic memories with 384-dimension vectors in batches of 1000 (each batch one transaction,
// fsynced, with its outbox entries), then times keyword and hybrid searches and reports the file
// size. The first vector and the first keyword search each build an in-process index and are
// timed apart from the percentiles. Text and vectors come from a seeded PRNG, so every run stores the same data. Vector search
// is approximate (a quantized shortlist scored exactly), so its recall@10 against a brute-force
// exact top-10 is reported for a sample of queries.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as sqliteVec from "sqlite-vec";
import { SqliteMemoryStore } from "../dist/memory/store/index.js";
import { KeywordIndexCache } from "../dist/memory/store/keyword-index-cache.js";
import { percentile, printTable } from "./gateway-process.mjs";

const COUNT = Number(process.env.BENCH_MEMORY_COUNT ?? 100_000);
const DIMENSIONS = 384;
const BATCH = 1000;
const SEARCHES = 200;
const RECALL_QUERIES = 50;
const SEED = 0x5eed;

/** mulberry32: tiny, fast, and the same sequence everywhere. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES =
  "ka lo mi ne ra so tu vi be da fe gi ho ju ke li mo nu pa qui re si to va we xo ya zu an el".split(" ");

/** 2000 made-up words, drawn with a Zipf-like skew (a few common words, a long tail) as in real text. */
function vocabulary(random) {
  const words = new Set();
  while (words.size < 2000) {
    const length = 2 + Math.floor(random() * 2);
    let word = "";
    for (let index = 0; index < length; index++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

function zipfPicker(words, random) {
  const weights = words.map((_, rank) => 1 / (rank + 1));
  const cumulative = [];
  let total = 0;
  for (const weight of weights) {
    total += weight;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return words[low];
  };
}

function sentence(pick, random) {
  const length = 8 + Math.floor(random() * 12);
  return Array.from({ length }, pick).join(" ");
}

function unitVector(random) {
  const vector = new Float32Array(DIMENSIONS);
  let squared = 0;
  for (let index = 0; index < DIMENSIONS; index++) {
    vector[index] = random() * 2 - 1;
    squared += vector[index] * vector[index];
  }
  const norm = Math.sqrt(squared);
  for (let index = 0; index < DIMENSIONS; index++) vector[index] /= norm;
  return vector;
}

/** Exact top-k doc indexes by cosine similarity, by scanning every stored vector. */
function exactNearest(vectors, query, k) {
  const best = [];
  for (let index = 0; index < vectors.length; index++) {
    const vector = vectors[index];
    let dot = 0;
    for (let dimension = 0; dimension < DIMENSIONS; dimension++) dot += vector[dimension] * query[dimension];
    if (best.length < k || dot > best[best.length - 1].dot) {
      best.push({ index, dot });
      best.sort((a, b) => b.dot - a.dot);
      if (best.length > k) best.pop();
    }
  }
  return best.map((entry) => entry.index);
}

/** Mean share of the exact top-10 that vector search returns in its top 10. */
async function vectorRecall(store, ids, vectors, queries) {
  let found = 0;
  for (const query of queries) {
    const exact = new Set(exactNearest(vectors, query.vector, 10).map((index) => ids[index]));
    const result = await store.search("", { vector: query.vector, limit: 10 });
    found += result.hits.filter((hit) => exact.has(hit.record.id)).length;
  }
  return found / (queries.length * 10);
}

/**
 * The vector query the store ran before the quantized index (sqlite-vec scanning every vector),
 * timed on the same file in the same run, so the two figures share the machine's load.
 */
function timeExactScan(path, queries) {
  const db = new DatabaseSync(path, { allowExtension: true, readOnly: true });
  try {
    db.loadExtension(sqliteVec.getLoadablePath());
    const statement = db.prepare(
      "SELECT rowid, distance FROM memory_vectors WHERE embedding MATCH ? AND k = 8 ORDER BY distance",
    );
    const samples = [];
    for (const query of queries) {
      const startedAt = performance.now();
      statement.all(new Uint8Array(query.vector.buffer));
      samples.push(performance.now() - startedAt);
    }
    const sorted = samples.sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
  } finally {
    db.close();
  }
}

/** What the in-process keyword index holds in typed arrays, built again on a read-only connection. */
function keywordIndexBytes(path) {
  const db = new DatabaseSync(path, { readOnly: true });
  const cache = new KeywordIndexCache(db);
  try {
    return cache.index()?.bytes ?? 0;
  } finally {
    cache.close();
    db.close();
  }
}

function sizeOnDisk(directory) {
  return readdirSync(directory).reduce((total, name) => total + statSync(join(directory, name)).size, 0);
}

async function timeSearches(store, queries, withVector) {
  const samples = [];
  let hits = 0;
  for (const query of queries) {
    const startedAt = performance.now();
    const result = await store.search(query.text, withVector ? { vector: query.vector } : {});
    samples.push(performance.now() - startedAt);
    hits += result.hits.length;
  }
  const sorted = samples.sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), meanHits: hits / queries.length };
}

export async function runMemory() {
  const directory = mkdtempSync(join(tmpdir(), "bench-memory-"));
  const random = prng(SEED);
  const pick = zipfPicker(vocabulary(random), random);
  try {
    const path = join(directory, "agent.sqlite");
    const store = SqliteMemoryStore.open(path, { dimensions: DIMENSIONS });
    let insertMs = 0;
    const ids = [];
    const vectors = [];
    for (let done = 0; done < COUNT; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, COUNT - done) }, (_, index) => ({
        text: sentence(pick, random),
        tags: [`topic-${(done + index) % 20}`],
        vector: unitVector(random),
      }));
      const startedAt = performance.now();
      const records = await store.addMany(batch);
      insertMs += performance.now() - startedAt;
      for (let index = 0; index < batch.length; index++) {
        ids.push(records[index].id);
        vectors.push(batch[index].vector);
      }
    }
    const queries = Array.from({ length: SEARCHES }, () => ({
      text: Array.from({ length: 3 }, pick).join(" "),
      vector: unitVector(random),
    }));
    // The first vector search builds the in-process quantized index from the file: timed apart.
    const firstStartedAt = performance.now();
    await store.search("", { vector: queries[0].vector });
    const firstVectorSearchMs = performance.now() - firstStartedAt;
    // Likewise the first keyword search builds the in-process keyword index.
    const firstKeywordStartedAt = performance.now();
    await store.search(queries[0].text);
    const firstKeywordSearchMs = performance.now() - firstKeywordStartedAt;
    const keyword = await timeSearches(store, queries, false);
    const hybrid = await timeSearches(store, queries, true);
    const vectorOnly = await timeSearches(
      store,
      queries.map((query) => ({ text: "", vector: query.vector })),
      true,
    );
    const exactScan = timeExactScan(path, queries);
    const recallAt10 = await vectorRecall(store, ids, vectors, queries.slice(0, RECALL_QUERIES));
    const outboxDepth = await store.outboxDepth();
    await store.close();
    const fileBytes = sizeOnDisk(directory);
    const keywordIndexMb = keywordIndexBytes(path) / 1024 / 1024;
    const result = {
      memories: COUNT,
      dimensions: DIMENSIONS,
      batch: BATCH,
      insertPerSecond: COUNT / (insertMs / 1000),
      keyword,
      hybrid,
      vectorOnly,
      exactScan,
      recallAt10,
      recallQueries: RECALL_QUERIES,
      firstVectorSearchMs,
      firstKeywordSearchMs,
      keywordIndexMb,
      outboxDepth,
      fileMb: fileBytes / 1024 / 1024,
      bytesPerMemory: fileBytes / COUNT,
    };
    console.log(
      `\nbench/memory: ${COUNT} memories, ${DIMENSIONS}-dim vectors, batches of ${BATCH}, ${SEARCHES} searches each`,
    );
    printTable([
      ["measure", "value"],
      ["insert memories/s", result.insertPerSecond.toFixed(0)],
      ["keyword search p50 / p95 ms", `${keyword.p50Ms.toFixed(2)} / ${keyword.p95Ms.toFixed(2)}`],
      ["hybrid search p50 / p95 ms", `${hybrid.p50Ms.toFixed(2)} / ${hybrid.p95Ms.toFixed(2)}`],
      ["vector search p50 / p95 ms", `${vectorOnly.p50Ms.toFixed(2)} / ${vectorOnly.p95Ms.toFixed(2)}`],
      [
        "old exact vec0 scan p50 / p95 ms (same run)",
        `${exactScan.p50Ms.toFixed(2)} / ${exactScan.p95Ms.toFixed(2)}`,
      ],
      [`vector recall@10 vs exact (${RECALL_QUERIES} queries)`, result.recallAt10.toFixed(3)],
      ["first vector search ms (builds index)", firstVectorSearchMs.toFixed(0)],
      ["first keyword search ms (builds index)", firstKeywordSearchMs.toFixed(0)],
      ["keyword index MB (typed arrays)", keywordIndexMb.toFixed(1)],
      ["file size MB (outbox not drained)", result.fileMb.toFixed(1)],
      ["bytes per memory", result.bytesPerMemory.toFixed(0)],
    ]);
    return result;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
