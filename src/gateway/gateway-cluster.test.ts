import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../agents/index.js";
import { createLogger } from "../logging/index.js";
import type { Storage } from "../storage/index.js";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import { createPostgresStorage } from "../storage/postgres/index.js";
import { type PostgresServer, startPostgres } from "../storage/postgres/testing/postgres-server.js";
import { Gateway } from "./gateway.js";

const logger = createLogger({ level: "silent" });

interface SharedStorage {
  open(): Promise<Storage>;
  close(): Promise<void>;
}

function memoryShared(): SharedStorage {
  const location = new MemoryLocation();
  return { open: async () => createMemoryStorage(location), close: async () => undefined };
}

function postgresShared(): SharedStorage {
  let server: PostgresServer | undefined;
  let url: string | undefined;
  return {
    async open() {
      server ??= await startPostgres();
      url ??= await server.createDatabase();
      return createPostgresStorage({ url, poolSize: 4 });
    },
    close: async () => server?.stop(),
  };
}

/**
 * Three gateways in one process on one shared storage (a simulated one, and a real PostgreSQL):
 * real listeners, real internal hops between them. Whole-process checks (kill -9 of the owner)
 * belong in test/e2e once the gateway opens PostgreSQL from its config.
 */
describe.each([
  ["memory", memoryShared],
  ["postgres", postgresShared],
])("a cluster of three gateways on one shared storage (%s)", (_kind, makeShared) => {
  const shared = makeShared();
  const gateways: Gateway[] = [];
  const urls: string[] = [];
  let dir = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-cluster-"));
    const configPath = join(dir, "openclaw.json");
    await writeFile(
      configPath,
      JSON.stringify({
        gateway: { auth: { mode: "none" } },
        cluster: { announceIntervalMs: 500, sessionLeaseTtlMs: 2000 },
      }),
    );
    for (const name of ["a", "b", "c"]) {
      const gateway = new Gateway({
        configPath,
        stateDir: join(dir, name),
        host: "127.0.0.1",
        port: 0,
        logger,
        watchConfig: false,
        storage: await shared.open(),
      });
      const started = await gateway.start();
      gateways.push(gateway);
      urls.push(started.url);
    }
  }, 60_000);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await shared.close();
    await rm(dir, { recursive: true, force: true });
  });

  const chat = async (url: string, sessionKey: string, content: string) => {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-openclaw-session-key": sessionKey },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
    });
    const body = (await response.json()) as { choices?: { message: { content: string } }[] };
    return { status: response.status, text: body.choices?.[0]?.message.content };
  };

  it("lists every replica in cluster status", async () => {
    const response = await fetch(`${urls[0]}/__openclaw__/cluster/status`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as { clustered: boolean; replicas: { internalUrl: string }[] };
    expect(status.clustered).toBe(true);
    expect(status.replicas.map((replica) => replica.internalUrl).sort()).toEqual([...urls].sort());
  });

  it("runs a session started through A on A when it continues through B, with its history", async () => {
    const sessionKey = "agent:main:cluster-history";
    const first = await chat(urls[0] as string, sessionKey, "first message");
    expect(first.status).toBe(200);
    const a = gateways[0] as Gateway;
    const b = gateways[1] as Gateway;
    const heldBefore = (await a.cluster.status()).replicas.find((replica) => replica.self)?.sessionLeases;
    const second = await chat(urls[1] as string, sessionKey, "second message");
    expect(second.status).toBe(200);
    // The turn ran on A (B forwarded it): A holds the lease, B none.
    expect((await b.cluster.status()).replicas.find((replica) => replica.self)?.sessionLeases).toBe(0);
    expect(heldBefore).toBeGreaterThanOrEqual(1);
    const history = await b.storage.transcripts.read(sessionKey);
    const said = history.entries
      .map((entry) => JSON.stringify(entry))
      .filter((line) => line.includes("first message") || line.includes("second message"));
    expect(said.length).toBeGreaterThanOrEqual(2);
  });

  it("gives a WebSocket subscriber's bus on C the chat events of a turn that ran on A", async () => {
    const c = gateways[2] as Gateway;
    const seen: string[] = [];
    const unsubscribe = c.broadcast.subscribe((name, payload) => {
      if (name === "chat") seen.push(String((payload as { sessionKey?: unknown }).sessionKey));
    });
    try {
      // As `chat.send` on a WebSocket of A does: the run's events go to A's operators (and on).
      const started = await (gateways[0] as Gateway).runs.start({
        sessionKey: "agent:main:cluster-events",
        input: { kind: "message", text: "hello from a" },
        origin: { transport: "ws" },
        announce: true,
      });
      if (started.status !== "started") throw new Error("the run did not start");
      await started.done;
      for (let waited = 0; waited < 100 && !seen.includes("agent:main:cluster-events"); waited++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toContain("agent:main:cluster-events");
    } finally {
      unsubscribe();
    }
  });

  it("reruns a keyed run whose replica died mid-run, once; a live replica's run is answered as started", async () => {
    const b = gateways[1] as Gateway;
    const runs = b.storage.idempotency<RunRecord>("runs");
    const orphan = (runner: string): RunRecord => ({
      runId: `key-${runner}`,
      sessionKey: `agent:main:orphan-${runner}`,
      agentId: "main",
      state: "running",
      startedAt: Date.now(),
      runner,
    });
    const live = (await (gateways[0] as Gateway).cluster.status()).replica as string;
    await runs.claim("key-ghost", orphan("ghost"), 60_000);
    await runs.claim(`key-${live}`, orphan(live), 60_000);
    const retry = (key: string, runner: string) =>
      b.runs.start({
        idempotencyKey: key,
        sessionKey: `agent:main:orphan-${runner}`,
        input: { kind: "message", text: "retried" },
        origin: { transport: "ws" },
      });
    const rerun = await retry("key-ghost", "ghost");
    expect(rerun.status).toBe("started");
    if (rerun.status === "started") expect((await rerun.done).record.state).toBe("ok");
    expect((await retry("key-ghost", "ghost")).status).toBe("known");
    expect((await retry(`key-${live}`, live)).status).toBe("known");
  });

  it("refuses the internal route without the cluster's signature", async () => {
    const response = await fetch(`${urls[0]}/__openclaw__/cluster/turn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        agentId: "main",
        sessionKey: "agent:main:x",
        input: { kind: "message", text: "x" },
      }),
    });
    expect(response.status).toBe(401);
  });
});
