import { describe, expect, it } from "vitest";
import { memoryPointId } from "../point-id.js";
import { COLLECTION, setup, vectorFor, writeMany } from "./qdrant-sync-fixture.js";

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
