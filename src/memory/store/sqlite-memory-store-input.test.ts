import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { useTempSqliteStore, vector } from "../testing/temp-sqlite-store.js";
import type { SqliteMemoryStore } from "./index.js";

describe("SqliteMemoryStore input", () => {
  const { open } = useTempSqliteStore();

  describe("bad input is refused and nothing is written", () => {
    const tooLong = "é".repeat(16 * 1024 + 1); // 32 KiB + 2 bytes in UTF-8, under 32 Ki characters.
    const cases: [string, (store: SqliteMemoryStore, existingId: string) => unknown][] = [
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
    it.each(cases)("%s", async (_name, attempt) => {
      const store = open({ dimensions: 3 });
      const existing = await store.add({ text: "existing memory" }, vector(1, 0, 0));
      const before = {
        count: await store.count(),
        depth: await store.outboxDepth(),
        pending: await store.pendingOutbox(100),
      };
      let thrown: unknown;
      try {
        await attempt(store, existing.id);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OpenClawError);
      expect((thrown as OpenClawError).code).toBe("OC_ERR_BAD_REQUEST");
      expect(await store.count()).toBe(before.count);
      expect(await store.outboxDepth()).toBe(before.depth);
      expect(await store.pendingOutbox(100)).toEqual(before.pending);
      expect(await store.get(existing.id)).toEqual(existing);
    });

    it("refuses any vector when no embedder is configured", async () => {
      const store = open();
      await expect(store.add({ text: "x" }, vector(1))).rejects.toThrow(/no embedder/);
      await expect(store.search("x", { vector: vector(1) })).rejects.toThrow(/no embedder/);
      expect(await store.count()).toBe(0);
      expect(await store.outboxDepth()).toBe(0);
    });

    it("refuses work after close", async () => {
      const store = open();
      await store.close();
      await expect(store.add({ text: "x" })).rejects.toThrow(/closed/);
      await store.close();
    });
  });
});
