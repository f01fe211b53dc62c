import { describe, expect, it, vi } from "vitest";
import { memoryPointId } from "./point-id.js";
import { InMemoryOutbox } from "./testing/in-memory-outbox.js";
import { COLLECTION, DIMENSIONS, setup, vectorFor, writeMany } from "./testing/qdrant-sync-fixture.js";

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

    const status = await sync.status();
    expect(status).toMatchObject({ depth: 0, lagMs: undefined, consecutiveFailures: 0, state: "stopped" });
    expect(status.lastError).toBeUndefined();
    expect(status.lastSyncAt).toEqual(expect.any(String));
    expect(await outbox.outboxDepth()).toBe(0);
  });

  it("syncs on its own once started, soon after a kick", async () => {
    const { server, outbox, sync } = await setup({ sync: { pollIntervalMs: 60_000 } });
    sync.start();
    await vi.waitFor(() => expect(sync.health().lastSyncAt).toBeDefined());
    outbox.write({ id: "m1", text: "one", vector: vectorFor(1) });
    sync.kick();
    await vi.waitFor(() => expect(server.points(COLLECTION)).toHaveLength(1));
    expect(await sync.status()).toMatchObject({ state: "idle", depth: 0 });
    await sync.stop();
    expect(sync.health().state).toBe("stopped");
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
});
