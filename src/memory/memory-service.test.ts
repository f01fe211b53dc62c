import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../logging/index.js";
import type { EmbeddingsClient } from "./embeddings/embeddings-client.js";
import { MemoryService } from "./memory-service.js";
import { QdrantSync } from "./sync/index.js";
import { FakeQdrantServer } from "./sync/testing/fake-qdrant-server.js";
import { overwritePages, pagesOf } from "./testing/damage-store.js";

/** A deterministic embedder: letter counts folded into `dimensions`. */
function fakeEmbedder(model: string, dimensions: number) {
  let calls = 0;
  const embedder = {
    model,
    dimensions,
    get calls() {
      return calls;
    },
    async embed(texts: readonly string[]) {
      calls += 1;
      return texts.map((text) => {
        const vector = new Float32Array(dimensions).fill(0.01);
        for (const char of text.toLowerCase()) {
          const slot = char.charCodeAt(0) % dimensions;
          vector[slot] = (vector[slot] ?? 0) + 1;
        }
        return vector;
      });
    },
  };
  return embedder as typeof embedder & EmbeddingsClient;
}

describe("MemoryService", () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "memory-service-"));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("re-embeds every memory in the background when the embedding model changes", async () => {
    const first = new MemoryService({
      stateDir,
      logger: createSilentLogger(),
      embedder: fakeEmbedder("m1", 8),
    });
    for (const text of ["alpha beta", "gamma delta", "epsilon zeta"]) {
      await first.remember("a", { text, tags: [], sessionKey: "s" });
    }
    await first.close();

    const second = new MemoryService({
      stateDir,
      logger: createSilentLogger(),
      embedder: fakeEmbedder("m2", 5),
    });
    const store = await second.store("a");
    expect(store.dimensions).toBe(5);
    const deadline = Date.now() + 10_000;
    while ((await store.withoutVector(10)).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await store.withoutVector(10)).toEqual([]);
    const found = await second.search("a", "gamma delta", {});
    expect(found.mode).toBe("hybrid");
    expect(found.hits[0]?.record.text).toBe("gamma delta");
    await second.close();
  });

  it("embeds a repeated text once, from the cache", async () => {
    const embedder = fakeEmbedder("m1", 8);
    const service = new MemoryService({ stateDir, logger: createSilentLogger(), embedder });
    await service.remember("a", { text: "same words", tags: [], sessionKey: "s" });
    await service.remember("a", { text: "same words", tags: [], sessionKey: "t" });
    expect(embedder.calls).toBe(1);
    await service.close();
  });

  it("says a search is keyword-only when no model is configured", async () => {
    const service = new MemoryService({ stateDir, logger: createSilentLogger() });
    await service.remember("a", { text: "plain keyword memory", tags: ["x"], sessionKey: "s" });
    const found = await service.search("a", "keyword", {});
    expect(found).toMatchObject({ mode: "keyword", note: expect.stringContaining("keyword search only") });
    expect(found.hits).toHaveLength(1);
    await service.close();
  });

  it("answers status at once from the counts last read, which catch up with each write", async () => {
    const service = new MemoryService({ stateDir, logger: createSilentLogger() });
    await service.remember("a", { text: "first", tags: [], sessionKey: "s" });
    expect((await service.readStatus())[0]).toMatchObject({ agentId: "a", state: "ready", items: 1 });
    await service.remember("a", { text: "second", tags: [], sessionKey: "s" });
    // What the status report and /metrics see, without waiting on the store.
    const deadline = Date.now() + 10_000;
    while (service.status()[0]?.items !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(service.status()[0]).toMatchObject({ items: 2, outboxDepth: 0, syncState: "off" });
    await service.close();
  });

  describe("a corrupt store", () => {
    /** Agent "a" with 200 memories and a workspace chunk, then garbage over one page of them. */
    async function damagedService(): Promise<{ service: MemoryService; path: string }> {
      const first = new MemoryService({ stateDir, logger: createSilentLogger() });
      for (let index = 0; index < 200; index++) {
        await first.remember("a", {
          text: `memory ${index} ${"with enough words to fill several pages ".repeat(3)}`,
          tags: [],
          sessionKey: "s",
        });
      }
      await first.indexFile("a", "MEMORY.md", "The staging server is called bramble.");
      await first.remember("b", { text: "agent b is fine", tags: [], sessionKey: "s" });
      await first.close();
      const path = join(stateDir, "memory", "a.sqlite");
      const leaves = pagesOf(path, "memories");
      overwritePages(path, [leaves[Math.floor(leaves.length / 2)] as number]);
      const service = new MemoryService({ stateDir, logger: createSilentLogger() });
      await service.openExisting();
      return { service, path };
    }

    it("fails that agent's memory in status and refuses its calls with the fix; other agents go on", async () => {
      const { service } = await damagedService();
      const status = await service.readStatus();
      expect(status.find((row) => row.agentId === "a")).toMatchObject({
        state: "failed",
        failure: expect.stringMatching(
          /a\.sqlite is corrupt: PRAGMA quick_check found damage: Tree \d+ page \d+/,
        ),
        fix: "openclaw memory repair a",
      });
      expect(status.find((row) => row.agentId === "b")).toMatchObject({ state: "ready", items: 1 });
      for (const op of ["store", "search", "forget"] as const) {
        await expect(
          service.call({ agentId: "a", sessionKey: "s", op, input: { text: "x", query: "x", id: "x" } }),
        ).rejects.toMatchObject({
          code: "OC_ERR_MEMORY_CORRUPT",
          message: expect.stringMatching(
            /^the memory of agent "a" is unavailable: .*until an operator runs `openclaw memory repair a`$/,
          ),
        });
      }
      expect((await service.search("b", "fine", {})).hits).toHaveLength(1);
      await service.close();
    });

    it("repair keeps the damaged file aside and rebuilds the store from what is readable and the workspace", async () => {
      const { service, path } = await damagedService();
      const report = await service.repair("a", {
        reindexWorkspace: async () => {
          await service.indexFile("a", "MEMORY.md", "The staging server is called thistle.");
          return 1;
        },
      });
      expect(report.repaired).toBe(true);
      expect(report.problem).toMatch(/quick_check found damage/);
      expect(existsSync(report.keptAside[0] as string)).toBe(true);
      expect(
        readdirSync(join(stateDir, "memory")).filter((name) => name.startsWith("a.sqlite.corrupt-")).length,
      ).toBeGreaterThan(0);
      expect(report.recovered.damagedFile).toBeGreaterThan(170);
      expect(report.recovered.workspaceFiles).toBe(1);
      expect(report.unreadable).toHaveLength(1);
      expect(report.notes.join(" ")).toContain("Qdrant was not read");
      expect((await service.readStatus()).find((row) => row.agentId === "a")).toMatchObject({
        state: "ready",
        items: report.recovered.damagedFile + 1,
      });
      expect((await service.search("a", "thistle", {})).hits).toHaveLength(1);
      await service.remember("a", { text: "writes work again", tags: [], sessionKey: "s" });
      expect(existsSync(path)).toBe(true);
      await service.close();
    });

    it("repair leaves a healthy store alone unless forced", async () => {
      const service = new MemoryService({ stateDir, logger: createSilentLogger() });
      await service.remember("c", { text: "healthy", tags: [], sessionKey: "s" });
      const report = await service.repair("c");
      expect(report).toMatchObject({ repaired: false, items: 1, keptAside: [] });
      const forced = await service.repair("c", { force: true });
      expect(forced).toMatchObject({ repaired: true, items: 1, recovered: { damagedFile: 1 } });
      await expect(service.repair("../etc")).rejects.toMatchObject({ code: "OC_ERR_BAD_REQUEST" });
      await expect(service.repair("nobody")).rejects.toMatchObject({ code: "OC_ERR_NOT_FOUND" });
      await service.close();
    });

    it("repair in mode primary puts back, with their vectors, the memories only Qdrant still has", async () => {
      const qdrant = new FakeQdrantServer();
      const { url } = await qdrant.start();
      const client = new QdrantClient({ url, checkCompatibility: false });
      const primary = () =>
        new MemoryService({
          stateDir,
          logger: createSilentLogger(),
          embedder: fakeEmbedder("m1", 8),
          qdrantMode: "primary",
          createSync: (agentId, store, dimensions) =>
            new QdrantSync({
              agentId,
              outbox: store,
              client,
              collection: "memories",
              dimensions,
              logger: createSilentLogger(),
            }),
        });
      try {
        const first = primary();
        for (const text of ["alpha beta", "gamma delta", "epsilon zeta"]) {
          await first.remember("a", { text, tags: ["t"], sessionKey: "s" });
        }
        const deadline = Date.now() + 10_000;
        while ((await first.readStatus())[0]?.outboxDepth !== 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await first.close();
        // Nothing of the file is readable: the first page (the schema) is garbage.
        overwritePages(join(stateDir, "memory", "a.sqlite"), [1]);
        const second = primary();
        await second.openExisting();
        expect(second.status()[0]).toMatchObject({ state: "failed" });
        const report = await second.repair("a");
        expect(report.recovered).toMatchObject({ damagedFile: 0, qdrant: 3 });
        expect(report.items).toBe(3);
        const store = await second.store("a");
        expect(await store.withoutVector(10)).toEqual([]);
        expect((await store.search("gamma", {})).hits[0]?.record).toMatchObject({
          text: "gamma delta",
          tags: ["t"],
        });
        await second.close();
      } finally {
        await qdrant.close();
      }
    });
  });
});
