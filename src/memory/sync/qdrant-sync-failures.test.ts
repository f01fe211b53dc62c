import { describe, expect, it, vi } from "vitest";
import { OpenClawError } from "../../errors.js";
import { memoryPointId } from "./point-id.js";
import { InMemoryOutbox } from "./testing/in-memory-outbox.js";
import { API_KEY, COLLECTION, setup, vectorFor, writeMany } from "./testing/qdrant-sync-fixture.js";

describe("QdrantSync when Qdrant fails", () => {
  it.each(["unavailable", "refuse"] as const)(
    "sends 50 writes made during an outage (%s) after recovery, in order, each once",
    async (mode) => {
      const { server, outbox, sync, lines } = await setup({
        server: { apiKey: API_KEY },
        sync: { batchSize: 16 },
      });
      sync.start();
      await vi.waitFor(() => expect(sync.health().lastSyncAt).toBeDefined());
      server.setDown(true, mode);
      const ids = writeMany(outbox, 50, () => sync.kick());

      await vi.waitFor(() => expect(sync.health().consecutiveFailures).toBeGreaterThanOrEqual(3), {
        timeout: 5000,
      });
      const during = await sync.status();
      expect(during.state).toMatch(/backing-off|syncing/);
      expect(during.depth).toBe(50);
      expect(during.lagMs).toBeGreaterThanOrEqual(0);
      expect(during.lastError).toMatch(
        mode === "unavailable" ? /Qdrant answered 503/ : /unreachable|closed|socket/i,
      );
      expect(server.operations).toEqual([]);

      server.setDown(false);
      await vi.waitFor(async () => expect((await sync.status()).depth).toBe(0), { timeout: 5000 });
      const upserted = server.pointOperations().map((operation) => operation.pointId);
      expect(upserted).toEqual(ids.map((id) => memoryPointId("main", id)));
      expect(server.operations.every((operation) => operation.kind === "upsert")).toBe(true);
      expect(server.operations.map((operation) => operation.pointIds.length)).toEqual([16, 16, 16, 2]);
      expect(server.points(COLLECTION)).toHaveLength(50);
      expect(sync.health()).toMatchObject({ state: "idle", consecutiveFailures: 0 });
      expect(sync.health().lastError).toBeUndefined();

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
    expect(await outbox.outboxDepth()).toBe(4);
    // Not started: nothing retries on its own, so the state says stopped.
    expect(sync.health()).toMatchObject({ consecutiveFailures: 1, state: "stopped" });
    expect(sync.health().lastError).toMatch(/unreachable/);

    await sync.syncOnce();
    expect(await outbox.outboxDepth()).toBe(0);
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
    const status = await sync.status();
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
    expect(sync.health().state).toBe("failed");

    await sync.resync();
    expect(server.collection(COLLECTION)?.vectors).toEqual({ size: 4, distance: "Cosine" });
    expect(server.points(COLLECTION)).toHaveLength(2);
    expect(await sync.status()).toMatchObject({ state: "idle", consecutiveFailures: 0, depth: 0 });
  });

  it("backs off exponentially, capped, and does not retry faster when kicked", async () => {
    const { server, outbox, sync, lines } = await setup({
      sync: { minBackoffMs: 5, maxBackoffMs: 40, random: () => 1 },
    });
    server.setDown(true);
    sync.start();
    await vi.waitFor(() => expect(sync.health().consecutiveFailures).toBeGreaterThanOrEqual(7), {
      timeout: 5000,
    });
    for (let index = 0; index < 20; index++) {
      outbox.write({ id: `k${index}`, text: "kick", vector: vectorFor(index) });
      sync.kick();
    }
    const failures = sync.health().consecutiveFailures;
    await new Promise((resolve) => setTimeout(resolve, 30));

    const delays = lines.filter((line) => typeof line.backoffMs === "number").map((line) => line.backoffMs);
    expect(delays.slice(0, 7)).toEqual([5, 10, 20, 40, 40, 40, 40]);
    // One request per attempt: no attempt without a delay before it, kicks or not.
    expect(server.requests.length).toBeLessThanOrEqual(sync.health().consecutiveFailures + 1);
    expect(sync.health().consecutiveFailures).toBeLessThanOrEqual(failures + 2);
    expect(sync.health().backoffMs).toBe(40);

    server.setDown(false);
    await vi.waitFor(async () =>
      expect(await sync.status()).toMatchObject({ state: "idle", depth: 0, consecutiveFailures: 0 }),
    );
    expect(sync.health().backoffMs).toBeUndefined();
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
    expect(await outbox.outboxDepth()).toBe(0);
    expect(server.points(COLLECTION).map((point) => point.payload.memoryId)).toEqual(["embedded"]);
    expect(lines.find((line) => line.msg === "memory not sent to Qdrant")).toMatchObject({
      memoryId: "plain",
    });
  });

  it("fails without writing when Qdrant refuses the API key", async () => {
    const { server, outbox, sync } = await setup({ server: { apiKey: API_KEY }, apiKey: "wrong-key-123" });
    writeMany(outbox, 1);
    await expect(sync.syncOnce()).rejects.toThrow(/Qdrant answered 401/);
    expect(sync.health().lastError).not.toContain("wrong-key-123");
    expect(server.operations).toEqual([]);
    expect(await outbox.outboxDepth()).toBe(1);
  });

  it("does not ack what a pass still in flight sends after stop()", async () => {
    const { server, outbox, sync } = await setup({ sync: { stopTimeoutMs: 10 } });
    writeMany(outbox, 2);
    server.delayResponses(100);
    const pass = sync.syncOnce();
    await vi.waitFor(() => expect(server.requests.length).toBeGreaterThan(0));
    await sync.stop();
    expect(sync.health().state).toBe("syncing");
    await pass;
    expect(server.points(COLLECTION)).toHaveLength(0);
    expect(outbox.acks).toEqual([]);
    expect(await outbox.outboxDepth()).toBe(2);
  });
});
