// bench/cluster: three real gateway processes (`openclaw gateway run`) on one real PostgreSQL,
// the dev model. Measures chat turns/s through one, two and three replicas (each turn on its own
// session, spread round robin over the replicas' URLs), the added latency of a forwarded turn
// (p50/p99 of a turn sent to a non-owner replica vs to the owner), and the takeover after a real
// kill -9 of a session's owner: the time from the kill to the first turn of that session answered
// by another replica. Three gateways, PostgreSQL and the load share two cores with other work:
// compare ratios measured in one run, not absolute figures.
import { AUTH, printTable, startGateway, summarize } from "./gateway-process.mjs";

const TURNS = 300;
const CONCURRENCY = 16;
const LATENCY_SAMPLES = 200;
const LEASE_TTL_MS = 3000;
const TAKEOVER_GIVE_UP_MS = 30_000;

async function turn(url, sessionKey) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-openclaw-session-key": sessionKey, ...AUTH },
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

/** From the kill of the session's owner to the first turn of that session another replica answers. */
async function takeover(owner, other, sessionKey) {
  await turn(owner.url, sessionKey);
  const killedAt = performance.now();
  await owner.kill();
  let attempts = 0;
  while (performance.now() - killedAt < TAKEOVER_GIVE_UP_MS) {
    attempts++;
    try {
      await turn(other.url, sessionKey);
      return { ms: performance.now() - killedAt, attempts };
    } catch {
      // The owner's lease has not lapsed yet (503, retryable): ask again, as a client would.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { ms: Number.NaN, attempts };
}

export async function runCluster() {
  const { startPostgres } = await import("../dist/storage/postgres/testing/postgres-server.js");
  const server = await startPostgres();
  const gateways = [];
  try {
    const url = await server.createDatabase();
    const config = {
      externalSecrets: { "pg-url": { source: "env", key: "OPENCLAW_PG_URL" } },
      storage: { kind: "postgres", url: { $secret: "pg-url" }, poolSize: 8 },
      cluster: { announceIntervalMs: 1000, sessionLeaseTtlMs: LEASE_TTL_MS, sessionIdleReleaseMs: 60_000 },
    };
    // One after the other: the first migrates the schema, the others find it done.
    for (let index = 0; index < 3; index++) {
      gateways.push(await startGateway(config, { env: { OPENCLAW_PG_URL: url } }));
    }
    const urls = gateways.map((gateway) => gateway.url);
    await throughput(urls, "warmup");
    const rates = {};
    for (const count of [1, 2, 3]) rates[count] = await throughput(urls.slice(0, count), `r${count}`);

    // Owned by A (its first turn ran there): direct on A, forwarded from B.
    await turn(urls[0], "agent:main:bench-latency");
    const direct = await latency(urls[0], "agent:main:bench-latency");
    const forwarded = await latency(urls[1], "agent:main:bench-latency");

    const taken = await takeover(gateways[0], gateways[1], "agent:main:bench-takeover");

    const result = {
      replicas: 3,
      turnsPerSecond: { one: rates[1], two: rates[2], three: rates[3] },
      forwardedLatencyMs: {
        direct,
        forwarded,
        addedP50: forwarded.p50 - direct.p50,
        addedP99: forwarded.p99 - direct.p99,
      },
      takeoverMs: taken.ms,
      takeoverAttempts: taken.attempts,
      leaseTtlMs: LEASE_TTL_MS,
    };
    const f = (value) => value.toFixed(1);
    printTable([
      ["measure (3 gateway processes, one PostgreSQL, dev model)", "value"],
      ["turns/s, 1 replica", f(rates[1])],
      ["turns/s, 2 replicas", f(rates[2])],
      ["turns/s, 3 replicas", f(rates[3])],
      ["direct p50 / p99 ms", `${f(direct.p50)} / ${f(direct.p99)}`],
      ["forwarded p50 / p99 ms", `${f(forwarded.p50)} / ${f(forwarded.p99)}`],
      [
        "added by the hop p50 / p99 ms",
        `${f(result.forwardedLatencyMs.addedP50)} / ${f(result.forwardedLatencyMs.addedP99)}`,
      ],
      [`takeover after kill -9 of the owner ms (session lease TTL ${LEASE_TTL_MS})`, f(taken.ms)],
    ]);
    return result;
  } finally {
    for (const gateway of gateways) await gateway.stop().catch(() => undefined);
    await server.stop();
  }
}
