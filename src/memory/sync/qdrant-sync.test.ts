import { QdrantClient } from "@qdrant/js-client-rest";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenClawError } from "../../errors.js";
import { backoffDelayMs } from "./backoff.js";
import { coalesceEntries } from "./coalesce-entries.js";
import type { OutboxEntry } from "./outbox.js";
import { MEMORY_POINT_NAMESPACE, memoryPointId, uuidV5 } from "./point-id.js";
import { QdrantSync, type QdrantSyncOptions } from "./qdrant-sync.js";
import { FakeQdrantServer, type FakeQdrantServerOptions } from "./testing/fake-qdrant-server.js";
import { InMemoryOutbox } from "./testing/in-memory-outbox.js";

const COLLECTION = "memories";
const DIMENSIONS = 4;
const API_KEY = "qdrant-key-5f1d2c";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A distinct, non-zero vector per memory number. */
const vectorFor = (index: number) => [1, (index % 7) + 1, (index % 3) - 1, index / 10];

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function setup(
  options: { server?: FakeQdrantServerOptions; apiKey?: string; sync?: Partial<QdrantSyncOptions> } = {},
) {
  const server = new FakeQdrantServer(options.server ?? {});
  cleanups.push(() => server.close());
  const { url } = await server.start();
  const apiKey = options.apiKey ?? options.server?.apiKey;
  // The client warns about an API key over plain http; the fake only speaks http.
  if (apiKey) vi.spyOn(console, "warn").mockImplementation(() => {});
  const client = new QdrantClient({ url, checkCompatibility: false, ...(apiKey ? { apiKey } : {}) });
  const outbox = new InMemoryOutbox();
  const { logger, lines } = captureLogger();
  const makeSync = (overrides: Partial<QdrantSyncOptions> = {}) => {
    const sync = new QdrantSync({
      agentId: "main",
      outbox,
      client,
      collection: COLLECTION,
      dimensions: DIMENSIONS,
      logger,
      minBackoffMs: 5,
      maxBackoffMs: 40,
      kickDelayMs: 1,
      ...options.sync,
      ...overrides,
    });
    cleanups.push(() => sync.stop());
    return sync;
  };
  return { server, client, outbox, sync: makeSync(), makeSync, lines, url };
}

function writeMany(outbox: InMemoryOutbox, count: number, kick?: () => void): string[] {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `m${String(index).padStart(3, "0")}`;
    outbox.write({
      id,
      text: `memory ${index}`,
      tags: index % 2 ? ["odd"] : ["even"],
      vector: vectorFor(index),
    });
    ids.push(id);
    kick?.();
  }
  return ids;
}

describe("memory point ids", () => {
  it("are RFC 4122 version 5 UUIDs (checked against known vectors)", () => {
    const dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    expect(uuidV5("www.example.com", dns)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect(uuidV5("python.org", dns)).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });

  it("are the same on every replay, and differ between agents", () => {
    const id = memoryPointId("main", "m1");
    expect(id).toBe(memoryPointId("main", "m1"));
    expect(id).toBe(uuidV5("main:m1", MEMORY_POINT_NAMESPACE));
    expect(id).not.toBe(memoryPointId("other", "m1"));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("backoffDelayMs", () => {
  it("doubles from the minimum and stops at the maximum", () => {
    const delays = [1, 2, 3, 4, 5, 6, 40].map((attempt) =>
      backoffDelayMs({ attempt, minMs: 500, maxMs: 30_000, random: () => 1 }),
    );
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it("jitters within [min, max]", () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      for (const value of [0, 0.3, 0.99]) {
        const delay = backoffDelayMs({ attempt, minMs: 500, maxMs: 30_000, random: () => value });
        expect(delay).toBeGreaterThanOrEqual(500);
        expect(delay).toBeLessThanOrEqual(30_000);
      }
    }
    expect(backoffDelayMs({ attempt: 6, minMs: 500, maxMs: 30_000, random: () => 0 })).toBe(8000);
  });
});

describe("coalesceEntries", () => {
  let seq = 0;
  const record = (id: string) => ({ id, text: id, tags: [], source: {}, createdAt: "t", updatedAt: "t" });
  const upsert = (id: string, vector: ArrayLike<number> | null = [1, 2, 3, 4]): OutboxEntry => ({
    seq: ++seq,
    op: "upsert",
    memoryId: id,
    record: record(id),
    ...(vector ? { vector } : {}),
    enqueuedAt: "t",
  });
  const remove = (id: string): OutboxEntry => ({ seq: ++seq, op: "delete", memoryId: id, enqueuedAt: "t" });

  it("ends an upsert then a delete of one memory deleted, and a delete then an upsert present", () => {
    const batch = [upsert("a"), upsert("b"), remove("a"), remove("c"), upsert("c")];
    const { runs, seqs } = coalesceEntries(batch, 4);
    expect(
      runs.map((run) =>
        run.op === "upsert" ? ["upsert", run.entries.map((e) => e.memoryId)] : ["delete", run.memoryIds],
      ),
    ).toEqual([
      ["upsert", ["b"]],
      ["delete", ["a"]],
      ["upsert", ["c"]],
    ]);
    expect(seqs).toEqual(batch.map((entry) => entry.seq));
    expect(runs.at(-1)?.lastSeq).toBe(batch.at(-1)?.seq);
  });

  it("keeps the order of the surviving entries, whatever order it was given", () => {
    const batch = [upsert("x"), upsert("y"), upsert("x"), upsert("z")];
    const { runs } = coalesceEntries([...batch].reverse(), 4);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.op === "upsert" && runs[0].entries.map((entry) => entry.memoryId)).toEqual([
      "y",
      "x",
      "z",
    ]);
  });

  it("skips upserts Qdrant would refuse, and turns typed arrays into JSON arrays", () => {
    const batch = [upsert("none", null), upsert("short", [1, 2]), upsert("nan", [1, Number.NaN, 0, 0])];
    batch.push(upsert("typed", new Float32Array([0.5, 1, 1.5, 2])));
    const { runs, skipped } = coalesceEntries(batch, 4);
    expect(skipped.map((skip) => skip.entry.memoryId)).toEqual(["none", "short", "nan"]);
    expect(skipped[0]?.reason).toMatch(/without a vector/);
    expect(skipped[1]?.reason).toMatch(/2 dimensions, the collection takes 4/);
    const typed = runs[0]?.op === "upsert" ? runs[0].entries[0]?.vector : undefined;
    expect(Array.isArray(typed)).toBe(true);
    expect(JSON.stringify(typed)).toBe("[0.5,1,1.5,2]");
  });
});

describe("QdrantSync", () => {
  it("creates the collection, writes the memories with their payload and acks them", async () => {
    const { server, outbox, sync } = await setup();
    outbox.write({
      id: "m1",
      text: "likes tea",
      tags: ["taste"],
      sessionKey: "agent:main:s1",
      vector: vectorFor(1),
    });
    outbox.write({ id: "m2", text: "from MEMORY.md", path: "MEMORY.md", vector: vectorFor(2) });

    expect(await sync.syncOnce()).toEqual({ sent: 2 });

    const collection = server.collection(COLLECTION);
    expect(collection?.vectors).toEqual({ size: DIMENSIONS, distance: "Cosine" });
    expect(collection?.payloadSchema).toEqual({
      agentId: { data_type: "keyword" },
      tags: { data_type: "keyword" },
    });
    const points = server.points(COLLECTION);
    expect(points.map((point) => point.id).sort()).toEqual(
      [memoryPointId("main", "m1"), memoryPointId("main", "m2")].sort(),
    );
    const first = points.find((point) => point.id === memoryPointId("main", "m1"));
    expect(first?.vector).toEqual(vectorFor(1));
    expect(first?.payload).toMatchObject({
      agentId: "main",
      memoryId: "m1",
      text: "likes tea",
      tags: ["taste"],
      sessionKey: "agent:main:s1",
    });
    expect(typeof first?.payload.createdAt).toBe("string");
    expect(points.find((point) => point.id === memoryPointId("main", "m2"))?.payload.path).toBe("MEMORY.md");

    const status = sync.status();
    expect(status).toMatchObject({ depth: 0, lagMs: undefined, consecutiveFailures: 0, state: "stopped" });
    expect(status.lastError).toBeUndefined();
    expect(status.lastSyncAt).toEqual(expect.any(String));
    expect(outbox.outboxDepth()).toBe(0);
  });

  it("syncs on its own once started, soon after a kick", async () => {
    const { server, outbox, sync } = await setup({ sync: { pollIntervalMs: 60_000 } });
    sync.start();
    await vi.waitFor(() => expect(sync.status().lastSyncAt).toBeDefined());
    outbox.write({ id: "m1", text: "one", vector: vectorFor(1) });
    sync.kick();
    await vi.waitFor(() => expect(server.points(COLLECTION)).toHaveLength(1));
    expect(sync.status()).toMatchObject({ state: "idle", depth: 0 });
    await sync.stop();
    expect(sync.status().state).toBe("stopped");
  });

  it("propagates deletes, and an upsert then a delete in one batch ends deleted", async () => {
    const { server, outbox, sync } = await setup();
    writeMany(outbox, 3);
    await sync.syncOnce();
    outbox.remove("m001");
    outbox.write({ id: "m900", text: "short-lived", vector: vectorFor(9) });
    outbox.remove("m900");
    await sync.syncOnce();

    expect(
      server
        .points(COLLECTION)
        .map((point) => point.payload.memoryId)
        .sort(),
    ).toEqual(["m000", "m002"]);
    const after = server.pointOperations().slice(3);
    expect(after).toEqual([
      { kind: "delete", collection: COLLECTION, pointId: memoryPointId("main", "m001") },
      { kind: "delete", collection: COLLECTION, pointId: memoryPointId("main", "m900") },
    ]);
  });

  it("searches this agent's memories only, optionally by tag", async () => {
    const { outbox, sync, makeSync } = await setup();
    outbox.write({ id: "tea", text: "likes tea", tags: ["taste", "drink"], vector: [1, 0, 0, 0] });
    outbox.write({ id: "coffee", text: "hates coffee", tags: ["taste"], vector: [0.9, 0.1, 0, 0] });
    outbox.write({ id: "cat", text: "has a cat", tags: ["pets"], vector: [0, 0, 1, 0] });
    await sync.syncOnce();
    const otherOutbox = new InMemoryOutbox();
    otherOutbox.write({ id: "tea", text: "other agent's tea", tags: ["taste"], vector: [1, 0, 0, 0] });
    const other = makeSync({ agentId: "other", outbox: otherOutbox });
    await other.syncOnce();

    const hits = await sync.search([1, 0, 0, 0], 2);
    expect(hits.map((hit) => hit.memoryId)).toEqual(["tea", "coffee"]);
    expect(hits[0]).toMatchObject({ text: "likes tea", tags: ["taste", "drink"] });
    expect(hits[0]?.score).toBeCloseTo(1, 5);
    expect(
      (await sync.search([0, 0, 1, 0], 5, { tags: ["taste", "drink"] })).map((hit) => hit.memoryId),
    ).toEqual(["tea"]);
    expect((await other.search([1, 0, 0, 0], 5)).map((hit) => hit.text)).toEqual(["other agent's tea"]);
    await expect(sync.search([1, 0, 0], 5)).rejects.toThrow(/3 dimensions/);
    expect(await sync.search([1, 0, 0, 0], 0)).toEqual([]);
  });

  it("hands back every point of this agent, page by page, with payload and vector (for a repair)", async () => {
    const { outbox, sync, makeSync } = await setup();
    const ids = writeMany(outbox, 300);
    await sync.syncOnce();
    const otherOutbox = new InMemoryOutbox();
    otherOutbox.write({ id: "theirs", text: "another agent's", tags: [], vector: [1, 0, 0, 0] });
    await makeSync({ agentId: "other", outbox: otherOutbox }).syncOnce();
    const points = await sync.points();
    expect(points.map((point) => point.memoryId).sort()).toEqual(ids);
    expect(points.find((point) => point.memoryId === "m007")).toMatchObject({
      text: "memory 7",
      tags: ["odd"],
      vector: vectorFor(7),
    });
  });

  it.each(["unavailable", "refuse"] as const)(
    "sends 50 writes made during an outage (%s) after recovery, in order, each once",
    async (mode) => {
      const { server, outbox, sync, lines } = await setup({
        server: { apiKey: API_KEY },
        sync: { batchSize: 16 },
      });
      sync.start();
      await vi.waitFor(() => expect(sync.status().lastSyncAt).toBeDefined());
      server.setDown(true, mode);
      const ids = writeMany(outbox, 50, () => sync.kick());

      await vi.waitFor(() => expect(sync.status().consecutiveFailures).toBeGreaterThanOrEqual(3), {
        timeout: 5000,
      });
      const during = sync.status();
      expect(during.state).toMatch(/backing-off|syncing/);
      expect(during.depth).toBe(50);
      expect(during.lagMs).toBeGreaterThanOrEqual(0);
      expect(during.lastError).toMatch(
        mode === "unavailable" ? /Qdrant answered 503/ : /unreachable|closed|socket/i,
      );
      expect(server.operations).toEqual([]);

      server.setDown(false);
      await vi.waitFor(() => expect(sync.status().depth).toBe(0), { timeout: 5000 });
      const upserted = server.pointOperations().map((operation) => operation.pointId);
      expect(upserted).toEqual(ids.map((id) => memoryPointId("main", id)));
      expect(server.operations.every((operation) => operation.kind === "upsert")).toBe(true);
      expect(server.operations.map((operation) => operation.pointIds.length)).toEqual([16, 16, 16, 2]);
      expect(server.points(COLLECTION)).toHaveLength(50);
      expect(sync.status()).toMatchObject({ state: "idle", consecutiveFailures: 0 });
      expect(sync.status().lastError).toBeUndefined();

      // The key reaches Qdrant and nothing else: not the status, not the log.
      expect(JSON.stringify(during)).not.toContain(API_KEY);
      expect(JSON.stringify(lines)).not.toContain(API_KEY);
      expect(
        lines.filter(
          (line) => line.level === 40 && line.msg === "Qdrant sync failed; retrying with back-off",
        ),
      ).toHaveLength(1);
      expect(lines.some((line) => line.msg === "Qdrant sync recovered")).toBe(true);
    },
  );

  it("replays entries whose ack was lost in a crash onto the same points", async () => {
    const { server, outbox, client, makeSync } = await setup();
    const ids = writeMany(outbox, 5);
    const afterCrash = outbox.clone();
    await makeSync().syncOnce();
    const before = server.points(COLLECTION);

    const restarted = makeSync({ outbox: afterCrash });
    expect(await restarted.syncOnce()).toEqual({ sent: 5 });

    expect(server.points(COLLECTION)).toEqual(before);
    expect((await client.scroll(COLLECTION, { limit: 100 })).points).toHaveLength(5);
    const counts = new Map<string | number, number>();
    for (const { pointId } of server.pointOperations()) counts.set(pointId, (counts.get(pointId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(ids.map((id) => memoryPointId("main", id)).sort());
    expect([...counts.values()].every((count) => count === 2)).toBe(true);
  });

  it("keeps entries whose write Qdrant applied but whose answer was lost, and re-sends them", async () => {
    const { server, outbox, sync } = await setup();
    writeMany(outbox, 3);
    await sync.syncOnce();
    writeMany(outbox, 3);
    outbox.write({ id: "m100", text: "new", vector: vectorFor(100) });
    server.dropResponses(1);

    await expect(sync.syncOnce()).rejects.toThrow(OpenClawError);
    expect(outbox.outboxDepth()).toBe(4);
    // Not started: nothing retries on its own, so the state says stopped.
    expect(sync.status()).toMatchObject({ consecutiveFailures: 1, state: "stopped" });
    expect(sync.status().lastError).toMatch(/unreachable/);

    await sync.syncOnce();
    expect(outbox.outboxDepth()).toBe(0);
    expect(server.points(COLLECTION)).toHaveLength(4);
  });

  it("refuses a collection of another vector size: failed, no writes, no blind retries, until resync", async () => {
    const { server, outbox, sync } = await setup();
    server.createCollection(COLLECTION, { size: 8, distance: "Cosine" });
    writeMany(outbox, 2);

    const failure = await sync.syncOnce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenClawError);
    expect((failure as OpenClawError).code).toBe("OC_ERR_MEMORY");
    expect((failure as OpenClawError).message).toBe(
      `Qdrant collection "${COLLECTION}" has vectors of size 8, but the embeddings have 4 dimensions; nothing is written to it`,
    );
    expect((failure as OpenClawError).hint).toMatch(/memory\.qdrant\.collection|resync/);
    const status = sync.status();
    expect(status).toMatchObject({
      state: "failed",
      depth: 2,
      lastError: (failure as OpenClawError).message,
    });
    expect(status.backoffMs).toBeUndefined();
    expect(server.operations).toEqual([]);
    await expect(sync.search([1, 0, 0, 0], 3)).rejects.toBe(failure);

    // Started or kicked, it does not go back to Qdrant.
    const requests = server.requests.length;
    sync.start();
    sync.kick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(sync.syncOnce()).rejects.toBe(failure);
    expect(server.requests.length).toBe(requests);
    expect(sync.status().state).toBe("failed");

    await sync.resync();
    expect(server.collection(COLLECTION)?.vectors).toEqual({ size: 4, distance: "Cosine" });
    expect(server.points(COLLECTION)).toHaveLength(2);
    expect(sync.status()).toMatchObject({ state: "idle", consecutiveFailures: 0, depth: 0 });
  });

  it("backs off exponentially, capped, and does not retry faster when kicked", async () => {
    const { server, outbox, sync, lines } = await setup({
      sync: { minBackoffMs: 5, maxBackoffMs: 40, random: () => 1 },
    });
    server.setDown(true);
    sync.start();
    await vi.waitFor(() => expect(sync.status().consecutiveFailures).toBeGreaterThanOrEqual(7), {
      timeout: 5000,
    });
    for (let index = 0; index < 20; index++) {
      outbox.write({ id: `k${index}`, text: "kick", vector: vectorFor(index) });
      sync.kick();
    }
    const failures = sync.status().consecutiveFailures;
    await new Promise((resolve) => setTimeout(resolve, 30));

    const delays = lines.filter((line) => typeof line.backoffMs === "number").map((line) => line.backoffMs);
    expect(delays.slice(0, 7)).toEqual([5, 10, 20, 40, 40, 40, 40]);
    // One request per attempt: no attempt without a delay before it, kicks or not.
    expect(server.requests.length).toBeLessThanOrEqual(sync.status().consecutiveFailures + 1);
    expect(sync.status().consecutiveFailures).toBeLessThanOrEqual(failures + 2);
    expect(sync.status().backoffMs).toBe(40);

    server.setDown(false);
    await vi.waitFor(() =>
      expect(sync.status()).toMatchObject({ state: "idle", depth: 0, consecutiveFailures: 0 }),
    );
    expect(sync.status().backoffMs).toBeUndefined();
  });

  it("recreates a collection deleted behind its back", async () => {
    const { server, client, outbox, sync } = await setup();
    writeMany(outbox, 1);
    await sync.syncOnce();
    await client.deleteCollection(COLLECTION);
    outbox.write({ id: "later", text: "after the delete", vector: vectorFor(7) });

    await expect(sync.syncOnce()).rejects.toThrow(/Qdrant answered 404/);
    await sync.syncOnce();
    expect(server.points(COLLECTION).map((point) => point.payload.memoryId)).toEqual(["later"]);
  });

  it("lets two agents that start together share one collection", async () => {
    const { server, outbox, makeSync } = await setup();
    writeMany(outbox, 2);
    const otherOutbox = new InMemoryOutbox();
    writeMany(otherOutbox, 3);
    await Promise.all([
      makeSync().syncOnce(),
      makeSync({ agentId: "other", outbox: otherOutbox }).syncOnce(),
    ]);
    expect(server.points(COLLECTION)).toHaveLength(5);
  });

  it("acks an upsert without a vector with a warning, and sends the rest", async () => {
    const { server, outbox, sync, lines } = await setup();
    outbox.write({ id: "plain", text: "no embedder then" });
    outbox.write({ id: "embedded", text: "with a vector", vector: vectorFor(1) });
    expect(await sync.syncOnce()).toEqual({ sent: 1 });
    expect(outbox.outboxDepth()).toBe(0);
    expect(server.points(COLLECTION).map((point) => point.payload.memoryId)).toEqual(["embedded"]);
    expect(lines.find((line) => line.msg === "memory not sent to Qdrant")).toMatchObject({
      memoryId: "plain",
    });
  });

  it("fails without writing when Qdrant refuses the API key", async () => {
    const { server, outbox, sync } = await setup({ server: { apiKey: API_KEY }, apiKey: "wrong-key-123" });
    writeMany(outbox, 1);
    await expect(sync.syncOnce()).rejects.toThrow(/Qdrant answered 401/);
    expect(sync.status().lastError).not.toContain("wrong-key-123");
    expect(server.operations).toEqual([]);
    expect(outbox.outboxDepth()).toBe(1);
  });

  it("does not ack what a pass still in flight sends after stop()", async () => {
    const { server, outbox, sync } = await setup({ sync: { stopTimeoutMs: 10 } });
    writeMany(outbox, 2);
    server.delayResponses(100);
    const pass = sync.syncOnce();
    await vi.waitFor(() => expect(server.requests.length).toBeGreaterThan(0));
    await sync.stop();
    expect(sync.status().state).toBe("syncing");
    await pass;
    expect(server.points(COLLECTION)).toHaveLength(0);
    expect(outbox.acks).toEqual([]);
    expect(outbox.outboxDepth()).toBe(2);
  });
});

describe("FakeQdrantServer, seen by the official client", () => {
  it("answers the version probe, scroll, retrieve and the deprecated search", async () => {
    const { client, outbox, sync } = await setup();
    expect((await client.versionInfo()).version).toBe("1.18.0");
    writeMany(outbox, 3);
    await sync.syncOnce();
    const id = memoryPointId("main", "m001");
    const [point] = await client.retrieve(COLLECTION, { ids: [id], with_vector: true });
    expect(point).toMatchObject({ id, vector: vectorFor(1), payload: { memoryId: "m001" } });
    const page = await client.scroll(COLLECTION, {
      limit: 2,
      filter: { must: [{ key: "agentId", match: { value: "main" } }] },
    });
    expect(page.points).toHaveLength(2);
    expect(page.next_page_offset).toEqual(expect.any(String));
    const found = await client.search(COLLECTION, { vector: vectorFor(2), limit: 1 });
    expect(found[0]?.payload?.memoryId).toBe("m002");
    await expect(client.getCollection("missing")).rejects.toMatchObject({ status: 404 });
  });
});
