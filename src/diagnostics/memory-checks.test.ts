import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import type { MemorySyncFact } from "./facts.js";
import { checkMemoryStores, checkMemorySync, checkQdrantSetup, STALLED_SYNC_MS } from "./memory-checks.js";

const withQdrant = ConfigSchema.parse({
  memory: {
    embeddings: { model: "embed", baseUrl: "http://127.0.0.1:11434/v1" },
    qdrant: { url: "http://qdrant.internal:6333" },
  },
});

const row = (overrides: Partial<MemorySyncFact>): MemorySyncFact => ({
  agentId: "main",
  outboxDepth: 0,
  syncState: "idle",
  ...overrides,
});

describe("checkMemorySync (seed: memory loss → Qdrant sync)", () => {
  it("fails a sync that keeps failing with memories queued, naming the agent and the Qdrant URL", () => {
    const [finding] = checkMemorySync(
      [row({ outboxDepth: 3, syncState: "backing-off", syncLagMs: 4000, lastError: "fetch failed" })],
      withQdrant,
    );
    expect(finding).toMatchObject({ id: "memory-sync", status: "fail", subject: "main" });
    expect(finding?.summary).toBe(
      'memory sync of agent "main" to Qdrant is failing: 3 memories not in Qdrant, retrying; last error: fetch failed',
    );
    expect(finding?.fix).toContain("curl http://qdrant.internal:6333/collections");
  });

  it("still says failing while a retry is in flight", () => {
    const [finding] = checkMemorySync(
      [row({ outboxDepth: 1, syncState: "syncing", lastError: "connect ECONNREFUSED" })],
      withQdrant,
    );
    expect(finding?.status).toBe("fail");
    expect(checkMemorySync([row({ outboxDepth: 1, syncState: "syncing" })], withQdrant)[0]?.status).toBe(
      "ok",
    );
  });

  it("fails a stalled sync and a failed one (which needs a resync)", () => {
    const [stalled, failed] = checkMemorySync(
      [
        row({ agentId: "slow", outboxDepth: 1, syncState: "syncing", syncLagMs: STALLED_SYNC_MS + 60_000 }),
        row({ agentId: "broken", outboxDepth: 2, syncState: "failed", lastError: "wrong vector size" }),
      ],
      withQdrant,
    );
    expect(stalled?.summary).toContain(
      'agent "slow" to Qdrant is stalled: 1 memory not in Qdrant, the oldest for 6 min',
    );
    expect(failed?.summary).toContain("has failed and stopped");
    expect(failed?.fix).toBe("rebuild the collection from the local store: openclaw memory resync broken");
  });

  it("is ok when caught up, and says when Qdrant is not configured", () => {
    expect(checkMemorySync([row({ syncState: "idle" })], withQdrant)[0]).toMatchObject({ status: "ok" });
    expect(checkMemorySync([row({ syncState: "off" })], ConfigSchema.parse({}))[0]?.summary).toContain(
      "Qdrant not configured",
    );
  });
});

describe("checkQdrantSetup", () => {
  it("warns that Qdrant without embeddings syncs nothing", () => {
    const [finding] = checkQdrantSetup(ConfigSchema.parse({ memory: { qdrant: { url: "http://q:6333" } } }));
    expect(finding?.status).toBe("warn");
    expect(finding?.fix).toContain("memory.embeddings");
    expect(checkQdrantSetup(withQdrant)).toEqual([]);
  });
});

describe("checkMemoryStores (a corrupt memory file)", () => {
  it("fails an agent whose store the running gateway found corrupt, with the repair command", () => {
    const findings = checkMemoryStores(
      [
        row({
          agentId: "main",
          state: "failed",
          failure: "store /s/memory/main.sqlite is corrupt: malformed",
        }),
        row({ agentId: "other", state: "ready" }),
      ],
      undefined,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "memory-store", status: "fail", subject: "main" });
    expect(findings[0]?.summary).toContain("store /s/memory/main.sqlite is corrupt: malformed");
    expect(findings[0]?.summary).toContain("the agent still runs");
    expect(findings[0]?.fix).toMatch(/^openclaw memory repair main: it keeps the damaged file aside/);
  });

  it("fails a corrupt file found while no gateway runs, and is ok when every file is sound", () => {
    const [finding] = checkMemoryStores(undefined, [
      { agentId: "main", path: "/s/memory/main.sqlite", problem: "file is not a database" },
    ]);
    expect(finding).toMatchObject({ status: "fail", subject: "main" });
    expect(finding?.fix).toContain("works with the gateway stopped");
    expect(checkMemoryStores(undefined, [{ agentId: "main", path: "/s/memory/main.sqlite" }])).toEqual([
      expect.objectContaining({ status: "ok", summary: "memory stores: 1 store checked, none corrupt" }),
    ]);
    expect(checkMemoryStores(undefined, undefined)).toEqual([]);
  });
});
