import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountLeader } from "../channels/core/account-leader.js";
import { createPostgresStorage, type PostgresStorage } from "../storage/postgres/postgres-storage.js";
import { type PostgresServer, startPostgres } from "../storage/postgres/testing/postgres-server.js";
import { Authenticator } from "./authenticator.js";
import { CapabilitySync } from "./capability-sync.js";
import { ClusterFailureLimiter } from "./cluster-failure-limiter.js";

// Three gateways' stores on one real PostgreSQL: what a cluster shares, without the processes
// (the gateway's storage config is wired by the PostgreSQL backend's branch).
let server: PostgresServer;
let storages: PostgresStorage[] = [];
beforeAll(async () => {
  server = await startPostgres();
  const url = await server.createDatabase();
  storages = [];
  for (let index = 0; index < 3; index++) storages.push(await createPostgresStorage({ url, poolSize: 3 }));
}, 120_000);
afterAll(async () => {
  await Promise.all(storages.map((storage) => storage.close()));
  await server?.stop();
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const grant = { nodeId: "node-a", sessionKey: "agent:main:main", surfaces: ["canvas" as const] };

describe("cluster auth on PostgreSQL", () => {
  it("a capability minted on A works on C; revoked on B, it is refused on A within 1 s", async () => {
    const [a, b, c] = await Promise.all(
      storages.map((storage) => CapabilitySync.open({ storage, ttlMs: 600_000 })),
    );
    const { token } = a!.issue(grant);
    expect(c!.verify(token, "canvas").ok).toBe(true);
    b!.revokeNode("node-a");
    await until(() => !a!.verify(token, "canvas").ok, 1000);
    expect(a!.verify(token, "canvas")).toEqual({ ok: false, reason: "revoked" });
    await until(() => !c!.verify(token, "canvas").ok, 1000);
    expect(a!.verify(a!.issue(grant).token, "canvas").ok).toBe(true);
    // A gateway started after the revocation loads it.
    const late = await CapabilitySync.open({ storage: storages[0]!, ttlMs: 600_000 });
    expect(late.verify(token, "canvas")).toEqual({ ok: false, reason: "revoked" });
    await Promise.all([a!, b!, c!, late].map((sync) => sync.close()));
  });

  it("failures spread over three gateways trip the limit at the configured count", async () => {
    const limit = { maxAttempts: 6, windowMs: 60_000, lockoutMs: 60_000 };
    const limiters = storages.map(
      (storage) =>
        new ClusterFailureLimiter({
          store: storage.failureCounters,
          events: storage.events,
          scope: "gateway",
        }),
    );
    const gateways = limiters.map(
      (clusterFailures) =>
        new Authenticator({
          mode: "token",
          token: () => "the-right-token-0123456789abcdef",
          password: () => undefined,
          trustedProxies: [],
          trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: [], allowLoopback: false },
          rateLimit: limit,
          clusterFailures,
        }),
    );
    const attempt = { socketAddress: "10.9.9.9", headers: { authorization: "Bearer wrong" } };
    for (let index = 0; index < limit.maxAttempts; index++) {
      expect(await gateways[index % 3]!.authenticate(attempt)).toMatchObject({ status: 401 });
    }
    for (const gateway of gateways)
      expect(await gateway.authenticate(attempt)).toMatchObject({ status: 429 });
    for (const limiter of limiters) limiter.close();
  });

  it("one leader per channel account; another takes over when its lease lapses", async () => {
    const elected: number[] = [];
    const leaders = storages.map(
      (storage, index) =>
        new AccountLeader({
          lock: storage.runLock,
          key: "channel:telegram:default",
          ttlMs: 600,
          retryMs: 50,
          onElected: () => elected.push(index),
          onDeposed: () => undefined,
          onError: () => undefined,
        }),
    );
    for (const leader of leaders) leader.start();
    await until(() => elected.length === 1, 5000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(elected).toHaveLength(1);
    // The leader dies without a word: it stops renewing and gives nothing back.
    const first = elected[0]!;
    leaders[first]!.retire();
    await until(() => elected.length === 2, 5000);
    expect(elected[1]).not.toBe(first);
    for (const leader of leaders) await leader.stop();
  });
});
