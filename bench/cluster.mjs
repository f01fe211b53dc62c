// bench/cluster: three gateways on one real PostgreSQL (in one process: the gateway does not yet
// open PostgreSQL from its config, so replicas are Gateway instances given the storage). Measures
// chat turns/s through one, two and three replicas (each turn on its own session, round robin),
// the added latency of a forwarded turn (p50/p99 direct vs through a peer), and how long a
// session takes to move after its owner stops renewing its lease (a kill -9 as the storage sees
// it). One process, two shared cores: compare ratios measured in one run, not absolute figures.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Gateway } from "../dist/gateway/index.js";
import { createLogger } from "../dist/logging/index.js";
import { createPostgresStorage } from "../dist/storage/postgres/index.js";
import { startPostgres } from "../dist/storage/postgres/testing/postgres-server.js";
import { printTable, summarize } from "./gateway-process.mjs";

const TURNS = 300;
const CONCURRENCY = 16;
const LATENCY_SAMPLES = 200;
const LEASE_TTL_MS = 3000;

async function turn(url, sessionKey) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-openclaw-session-key": sessionKey },
    body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "hello" }] }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`turn answered ${response.status}`);
}

async function throughput(urls, label) {
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TURNS) {
        const index = next++;
        await turn(urls[index % urls.length], `agent:main:bench-${label}-${index}`);
      }
    }),
  );
  return TURNS / ((performance.now() - startedAt) / 1000);
}

async function latency(url, sessionKey) {
  const samples = [];
  for (let index = 0; index < LATENCY_SAMPLES; index++) {
    const startedAt = performance.now();
    await turn(url, sessionKey);
    samples.push(performance.now() - startedAt);
  }
  return summarize(samples);
}

export async function runCluster() {
  const server = await startPostgres();
  const dir = await mkdtemp(join(tmpdir(), "openclaw-bench-cluster-"));
  const gateways = [];
  try {
    const url = await server.createDatabase();
    const configPath = join(dir, "openclaw.json");
    await writeFile(
      configPath,
      JSON.stringify({
        gateway: { auth: { mode: "none" } },
        cluster: { announceIntervalMs: 1000, sessionLeaseTtlMs: LEASE_TTL_MS, sessionIdleReleaseMs: 60_000 },
      }),
    );
    const urls = [];
    for (const name of ["a", "b", "c"]) {
      const gateway = new Gateway({
        configPath,
        stateDir: join(dir, name),
        host: "127.0.0.1",
        port: 0,
        logger: createLogger({ level: "silent" }),
        watchConfig: false,
        storage: await createPostgresStorage({ url, poolSize: 8 }),
      });
      urls.push((await gateway.start()).url);
      gateways.push(gateway);
    }
    await throughput(urls.slice(0, 1), "warmup");
    const rates = {};
    for (const count of [1, 2, 3]) rates[count] = await throughput(urls.slice(0, count), `r${count}`);

    // Owned by A (its first turn ran there): direct on A, forwarded from B.
    await turn(urls[0], "agent:main:bench-latency");
    const direct = await latency(urls[0], "agent:main:bench-latency");
    const forwarded = await latency(urls[1], "agent:main:bench-latency");

    // Takeover: A's lease renewals stop (as a killed process's would) and its hop refuses.
    await turn(urls[0], "agent:main:bench-takeover");
    const a = gateways[0];
    const ownership = a.cluster.ownership;
    clearInterval(ownership.timer);
    ownership.held.clear();
    await a.listener?.stop?.();
    const killedAt = performance.now();
    await turn(urls[1], "agent:main:bench-takeover").catch(() => undefined);
    const takeoverMs = performance.now() - killedAt;

    const result = {
      turnsPerSecond: { one: rates[1], two: rates[2], three: rates[3] },
      forwardedLatencyMs: { direct, forwarded, addedP50: forwarded.p50 - direct.p50 },
      takeoverMs,
      leaseTtlMs: LEASE_TTL_MS,
    };
    const f = (value) => value.toFixed(1);
    printTable([
      ["measure", "value"],
      ["turns/s, 1 replica", f(rates[1])],
      ["turns/s, 2 replicas", f(rates[2])],
      ["turns/s, 3 replicas", f(rates[3])],
      ["direct p50 / p99 ms", `${f(direct.p50)} / ${f(direct.p99)}`],
      ["forwarded p50 / p99 ms", `${f(forwarded.p50)} / ${f(forwarded.p99)}`],
      [`takeover after owner death ms (TTL ${LEASE_TTL_MS})`, f(takeoverMs)],
    ]);
    return result;
  } finally {
    for (const gateway of gateways) await gateway.stop().catch(() => undefined);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
