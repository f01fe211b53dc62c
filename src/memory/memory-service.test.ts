import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../logging/index.js";
import type { EmbeddingsClient } from "./embeddings/embeddings-client.js";
import { MemoryService } from "./memory-service.js";

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
    const store = second.store("a");
    expect(store.dimensions).toBe(5);
    const deadline = Date.now() + 5_000;
    while (store.withoutVector(10).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(store.withoutVector(10)).toEqual([]);
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
});
