import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeQdrantServer } from "../../src/memory/sync/testing/fake-qdrant-server.js";
import { startEmbeddingsServer } from "../../src/memory/testing/fake-embeddings-server.js";
import { sayInSession, toolResultOf } from "./chat-http.js";
import { runCli, startGateway, tempHome, useGateway, waitFor } from "./harness.js";

describe("agent memory (keyword store)", () => {
  const running = useGateway({ agents: { main: { threadBound: true } } });

  it("stores a fact in one session and recalls it in another", async () => {
    const stored = toolResultOf(
      await sayInSession(
        running.url,
        "agent:main:first",
        '/tool memory_store {"text":"The launch code word is aubergine","tags":["fact"]}',
      ),
      "memory_store",
    );
    expect(stored).toMatchObject({ stored: true, id: expect.any(String) });
    const found = toolResultOf(
      await sayInSession(
        running.url,
        "agent:main:second",
        '/tool memory_search {"query":"launch code word"}',
      ),
      "memory_search",
    );
    expect(found.mode).toBe("keyword");
    expect(found.note).toContain("keyword search only");
    expect(found.results).toEqual([
      expect.objectContaining({
        id: stored.id,
        text: "The launch code word is aubergine",
        session: "agent:main:first",
      }),
    ]);

    const forgot = toolResultOf(
      await sayInSession(running.url, "agent:main:third", `/tool memory_forget {"id":"${stored.id}"}`),
      "memory_forget",
    );
    expect(forgot).toEqual({ forgotten: true });
    const gone = toolResultOf(
      await sayInSession(running.url, "agent:main:third", '/tool memory_search {"query":"aubergine"}'),
      "memory_search",
    );
    expect(gone.results).toEqual([]);
  });

  it("indexes MEMORY.md and memory/*.md of the workspace, and re-indexes them on change", async () => {
    const workspace = join(running.home.stateDir, "workspace", "main");
    await mkdir(join(workspace, "memory"), { recursive: true });
    await writeFile(join(workspace, "MEMORY.md"), "# Notes\n\nThe staging server is called bramble.\n");
    const search = async (query: string) =>
      toolResultOf(
        await sayInSession(running.url, "agent:main:files", `/tool memory_search {"query":"${query}"}`),
        "memory_search",
      ).results as { text: string; file?: string }[];
    await waitFor(async () => (await search("staging server")).length > 0, 5_000).catch((error) => {
      console.log(running.gateway.output().slice(-3000));
      throw error;
    });
    expect((await search("staging server"))[0]).toMatchObject({ file: "MEMORY.md" });
    await writeFile(join(workspace, "MEMORY.md"), "# Notes\n\nThe staging server is called thistle.\n");
    await writeFile(join(workspace, "memory", "people.md"), "Ada runs the nightly builds.\n");
    await waitFor(
      async () => (await search("thistle")).length > 0 && (await search("nightly builds")).length > 0,
      5_000,
    );
    expect(await search("bramble")).toEqual([]);
  });

  it("refuses bad input with a clear error and stores nothing", async () => {
    const big = "x".repeat(40_000);
    const reply = await sayInSession(running.url, "agent:main:bad", `/tool memory_store {"text":"${big}"}`);
    expect(reply).toMatch(/^Tool memory_store failed: memory text is 40000 bytes; the limit is 32768 bytes/);
  });
});

describe("agent memory with embeddings", () => {
  let embeddings: Awaited<ReturnType<typeof startEmbeddingsServer>>;
  beforeAll(async () => {
    embeddings = await startEmbeddingsServer();
  });
  afterAll(() => new Promise((resolve) => embeddings?.server.close(resolve)));

  it("searches hybrid when a model is configured, caching embeddings by content", async () => {
    const home = await tempHome({
      agents: { main: {} },
      memory: { embeddings: { model: "fake-embed", baseUrl: embeddings.baseUrl } },
    });
    const gateway = await startGateway(home);
    try {
      const stored = toolResultOf(
        await sayInSession(
          gateway.url,
          "agent:main:e1",
          '/tool memory_store {"text":"Paris is the capital of France"}',
        ),
        "memory_store",
      );
      const callsAfterStore = embeddings.calls();
      const found = toolResultOf(
        await sayInSession(gateway.url, "agent:main:e2", '/tool memory_search {"query":"capital of France"}'),
        "memory_search",
      );
      expect(found.mode).toBe("hybrid");
      expect(found.results).toEqual([expect.objectContaining({ id: stored.id })]);
      await sayInSession(
        gateway.url,
        "agent:main:e3",
        '/tool memory_store {"text":"Paris is the capital of France"}',
      );
      // The query was embedded once more; the repeated text came from the cache.
      expect(embeddings.calls()).toBe(callsAfterStore + 1);
    } finally {
      await gateway.stop();
      await home.cleanup();
    }
  });
});

describe("agent memory synced to Qdrant", () => {
  let embeddings: Awaited<ReturnType<typeof startEmbeddingsServer>>;
  const qdrant = new FakeQdrantServer();
  beforeAll(async () => {
    embeddings = await startEmbeddingsServer();
  });
  afterAll(async () => {
    await qdrant.close();
    await new Promise((resolve) => embeddings?.server.close(resolve));
  });

  it("queues writes during an outage and delivers them all after it, once each", async () => {
    const { url } = await qdrant.start();
    const home = await tempHome({
      agents: { main: {} },
      memory: {
        embeddings: { model: "fake-embed", baseUrl: embeddings.baseUrl },
        qdrant: { url, collection: "e2e-memories" },
      },
    });
    const gateway = await startGateway(home);
    const status = async () => {
      const result = await runCli(["memory", "status", "--json"], home.env);
      return (
        JSON.parse(result.stdout) as { agents: { agentId: string; outboxDepth: number; syncState: string }[] }
      ).agents[0];
    };
    try {
      await sayInSession(
        gateway.url,
        "agent:main:q",
        '/tool memory_store {"text":"first fact before the outage"}',
      );
      await waitFor(async () => (await status())?.outboxDepth === 0, 10_000);
      qdrant.setDown(true);
      for (let index = 0; index < 5; index++) {
        await sayInSession(
          gateway.url,
          "agent:main:q",
          `/tool memory_store {"text":"fact ${index} written during the outage"}`,
        );
      }
      await waitFor(async () => (await status())?.outboxDepth === 5, 10_000);
      qdrant.setDown(false);
      await waitFor(async () => (await status())?.outboxDepth === 0, 40_000);
      const points = qdrant.points("e2e-memories");
      expect(points).toHaveLength(6);
      const upserts = qdrant.pointOperations().filter((operation) => operation.kind === "upsert");
      expect(new Set(upserts.map((operation) => operation.pointId)).size).toBe(upserts.length);
    } finally {
      await gateway.stop();
      await home.cleanup();
    }
  }, 90_000);
});

describe("agent memory under SIGKILL", () => {
  it("loses no acknowledged memory when the gateway is killed mid-burst", async () => {
    const home = await tempHome({ agents: { main: { threadBound: true } } });
    try {
      const gateway = await startGateway(home);
      const acked: string[] = [];
      let killed = false;
      const worker = async (lane: number) => {
        for (let index = 0; index < 400 && !killed; index++) {
          try {
            const reply = await sayInSession(
              gateway.url,
              `agent:main:burst-${lane}`,
              `/tool memory_store {"text":"burst item ${lane}-${index}"}`,
            );
            const result = toolResultOf(reply, "memory_store");
            acked.push(String(result.id));
          } catch {
            return; // the gateway is gone
          }
          if (acked.length >= 60 && !killed) {
            killed = true;
            gateway.process.kill("SIGKILL");
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
      expect(killed).toBe(true);
      if (gateway.process.exitCode === null && gateway.process.signalCode === null) {
        await new Promise((resolve) => gateway.process.once("exit", resolve));
      }
      const db = new DatabaseSync(join(home.stateDir, "memory", "main.sqlite"));
      try {
        const present = new Set(
          (db.prepare("SELECT id FROM memories").all() as { id: string }[]).map((row) => row.id),
        );
        const lost = acked.filter((id) => !present.has(id));
        console.log(
          `[memory] ${acked.length} acknowledged before SIGKILL, ${present.size} in the store, ${lost.length} lost`,
        );
        expect(lost).toEqual([]);
      } finally {
        db.close();
      }
      const restarted = await startGateway(home);
      const status = await runCli(["memory", "status", "--json"], home.env);
      await restarted.stop();
      expect(status.code).toBe(0);
    } finally {
      await home.cleanup();
    }
  }, 60_000);
});
