import { randomUUID } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../logging/index.js";
import { memoryPointId } from "./point-id.js";
import { QdrantSync } from "./qdrant-sync.js";
import { InMemoryOutbox } from "./testing/in-memory-outbox.js";

/**
 * The fake server is only as right as our reading of Qdrant. This runs the same round trip
 * against a real Qdrant when QDRANT_URL is set (QDRANT_API_KEY if it needs one), e.g.
 *   docker run -d -p 6333:6333 qdrant/qdrant && QDRANT_URL=http://127.0.0.1:6333 npx vitest run src/memory/sync
 */

const url = process.env.QDRANT_URL;
const apiKey = process.env.QDRANT_API_KEY;
if (!url) console.log("skipped: QDRANT_URL is not set");

const collection = `openclaw-contract-${randomUUID()}`;
const client = url
  ? new QdrantClient({ url, checkCompatibility: false, ...(apiKey ? { apiKey } : {}) })
  : undefined;

afterAll(async () => {
  await client?.deleteCollection(collection).catch(() => {});
});

describe("QdrantSync against a real Qdrant", () => {
  it.skipIf(!url)("creates the collection, writes, searches, deletes and replays idempotently", async () => {
    if (!client) return;
    const outbox = new InMemoryOutbox();
    const sync = new QdrantSync({
      agentId: "contract",
      outbox,
      client,
      collection,
      dimensions: 4,
      logger: createSilentLogger(),
    });
    outbox.write({ id: "tea", text: "likes tea", tags: ["taste"], sessionKey: "s1", vector: [1, 0, 0, 0] });
    outbox.write({ id: "cat", text: "has a cat", tags: ["pets"], vector: [0, 0, 1, 0] });
    outbox.write({ id: "gone", text: "forgotten", vector: [0, 1, 0, 0] });
    const replay = outbox.clone();

    expect(await sync.syncOnce()).toEqual({ sent: 3 });
    const info = await client.getCollection(collection);
    expect(info.config.params.vectors).toMatchObject({ size: 4, distance: "Cosine" });
    expect(info.payload_schema.agentId?.data_type).toBe("keyword");

    const hits = await sync.search([0.9, 0.1, 0, 0], 2);
    expect(hits[0]).toMatchObject({ memoryId: "tea", text: "likes tea", tags: ["taste"] });
    expect((await sync.search([1, 0, 0, 0], 5, { tags: ["pets"] })).map((hit) => hit.memoryId)).toEqual([
      "cat",
    ]);

    outbox.remove("gone");
    await sync.syncOnce();
    const [point] = await client.retrieve(collection, { ids: [memoryPointId("contract", "tea")] });
    expect(point?.payload).toMatchObject({ agentId: "contract", memoryId: "tea", sessionKey: "s1" });
    expect(await client.retrieve(collection, { ids: [memoryPointId("contract", "gone")] })).toEqual([]);

    // A restart whose acks were lost: the same points again, not new ones.
    const restarted = new QdrantSync({
      agentId: "contract",
      outbox: replay,
      client,
      collection,
      dimensions: 4,
      logger: createSilentLogger(),
    });
    await restarted.syncOnce();
    expect((await client.count(collection, { exact: true })).count).toBe(3);

    // Another embedding size on the same collection: refused, nothing written.
    const mismatched = new QdrantSync({
      agentId: "contract",
      outbox: new InMemoryOutbox(),
      client,
      collection,
      dimensions: 8,
      logger: createSilentLogger(),
    });
    await expect(mismatched.syncOnce()).rejects.toThrow(
      /has vectors of size 4, but the embeddings have 8 dimensions/,
    );
    expect(mismatched.health().state).toBe("failed");
  });
});
