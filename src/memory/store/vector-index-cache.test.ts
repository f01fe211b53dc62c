import { describe, expect, it } from "vitest";
import { useTempSqliteStore, vector } from "../testing/temp-sqlite-store.js";

const ids = (result: { hits: { record: { id: string } }[] }) => result.hits.map((hit) => hit.record.id);

describe("vector search through the in-process index", () => {
  const temp = useTempSqliteStore();

  it("sees this connection's writes, replacements and forgets after the index is built", async () => {
    const store = temp.open({ dimensions: 2 });
    await store.add({ id: "east", text: "east" }, vector(1, 0));
    expect(ids(await store.search("", { vector: vector(1, 0) }))).toEqual(["east"]);
    await store.add({ id: "north", text: "north" }, vector(0, 1));
    expect(ids(await store.search("", { vector: vector(0.1, 1), limit: 1 }))).toEqual(["north"]);
    await store.setVector("east", vector(0, 1));
    await store.add({ id: "north", text: "north, renamed" });
    expect(ids(await store.search("", { vector: vector(0, 1) }))).toEqual(["east"]);
    await store.forget("east");
    expect(ids(await store.search("", { vector: vector(0, 1) }))).toEqual([]);
  });

  it("sees what another connection committed", async () => {
    const reader = temp.open({ dimensions: 2 });
    await reader.add({ id: "east", text: "east" }, vector(1, 0));
    expect(ids(await reader.search("", { vector: vector(0, 1), limit: 1 }))).toEqual(["east"]);
    const writer = temp.open({ dimensions: 2 });
    await writer.add({ id: "north", text: "north" }, vector(0, 1));
    expect(ids(await reader.search("", { vector: vector(0, 1), limit: 1 }))).toEqual(["north"]);
    await writer.forget("north");
    expect(ids(await reader.search("", { vector: vector(0, 1), limit: 1 }))).toEqual(["east"]);
  });

  it("reports exact cosine scores, not the quantized estimate", async () => {
    const store = temp.open({ dimensions: 3 });
    await store.add({ id: "a", text: "a" }, vector(0.3, 0.4, 0.5));
    const [hit] = (await store.search("", { vector: vector(0.5, 0.4, 0.3) })).hits;
    const expected = (0.15 + 0.16 + 0.15) / (0.3 ** 2 + 0.4 ** 2 + 0.5 ** 2);
    expect(hit?.score).toBeCloseTo(expected, 5);
  });

  it("starts over after the vectors are reset for a new model", async () => {
    const store = temp.open({ dimensions: 2 });
    await store.add({ id: "a", text: "a" }, vector(1, 0));
    expect(ids(await store.search("", { vector: vector(1, 0) }))).toEqual(["a"]);
    await store.resetVectors(3);
    expect(ids(await store.search("", { vector: vector(1, 0, 0) }))).toEqual([]);
    await store.setVector("a", vector(0, 0, 1));
    expect(ids(await store.search("", { vector: vector(0, 0, 1) }))).toEqual(["a"]);
  });
});
