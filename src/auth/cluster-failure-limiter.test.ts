import { describe, expect, it } from "vitest";
import { HOOK_AUTH_RATE_LIMIT, HookAuthenticator } from "../automation/hooks/hook-auth.js";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import { Authenticator, type AuthSettings } from "./authenticator.js";
import { ClusterFailureLimiter, LOCKOUT_TOPIC } from "./cluster-failure-limiter.js";

const STRONG = "the-right-token-0123456789abcdef";
const LIMIT = { maxAttempts: 5, windowMs: 60_000, lockoutMs: 60_000 };

/** Three gateways on one memory location, each with its own limiter over the shared store. */
function cluster(settings: Partial<AuthSettings> = {}, options: { deaf?: number } = {}) {
  const location = new MemoryLocation();
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const limiters = [0, 1, 2].map((index) => {
    const storage = createMemoryStorage(location, { now });
    // A deaf gateway hears no events (a notification still in flight): it has the store alone.
    const events =
      options.deaf === index
        ? {
            publish: (topic: string, payload: unknown) => storage.events.publish(topic, payload),
            subscribe: () => () => {},
          }
        : storage.events;
    return new ClusterFailureLimiter({ store: storage.failureCounters, events, scope: "gateway", now });
  });
  const gateways = limiters.map(
    (clusterFailures) =>
      new Authenticator({
        mode: "token",
        token: () => STRONG,
        password: () => undefined,
        trustedProxies: [],
        trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: [], allowLoopback: false },
        rateLimit: LIMIT,
        clusterFailures,
        ...settings,
      }),
  );
  return { gateways, limiters, clock };
}

const bearer = (token: string, socketAddress = "10.0.0.9") => ({
  socketAddress,
  headers: { authorization: `Bearer ${token}` },
});
const delivered = () => new Promise((resolve) => setImmediate(resolve));

describe("failures counted across a cluster", () => {
  it("locks an address at the configured count when its failures are spread over three gateways", async () => {
    const { gateways } = cluster();
    const statuses: number[] = [];
    for (let index = 0; index < LIMIT.maxAttempts; index++) {
      const outcome = await gateways[index % 3]!.authenticate(bearer(`wrong-${index}`));
      statuses.push(outcome.ok ? 200 : outcome.status);
    }
    // The failure that reaches the limit is still a 401; every gateway refuses the next one.
    expect(statuses).toEqual(Array(LIMIT.maxAttempts).fill(401));
    for (const gateway of gateways) {
      expect(await gateway.authenticate(bearer("wrong-again"))).toMatchObject({
        ok: false,
        status: 429,
        reason: "rate_limited",
      });
    }
    // Another address is not held up, and the strong right token still opens the locked one.
    expect(await gateways[1]!.authenticate(bearer("wrong", "10.0.0.10"))).toMatchObject({ status: 401 });
    expect(await gateways[2]!.authenticate(bearer(STRONG))).toMatchObject({ ok: true });
  });

  it("refuses on a gateway that has not yet heard the lockout event (the store is asked)", async () => {
    const { gateways, limiters } = cluster({}, { deaf: 2 });
    for (let index = 0; index < LIMIT.maxAttempts; index++) {
      await gateways[0]!.authenticate(bearer(`wrong-${index}`));
    }
    await delivered();
    // No event reached gateway C: it knows nothing locally, and still refuses.
    expect(limiters[2]!.cachedLock("10.0.0.9")).toBeUndefined();
    expect(await gateways[2]!.authenticate(bearer("wrong"))).toMatchObject({ status: 429 });
    await delivered();
    expect(limiters[1]!.cachedLock("10.0.0.9")).toMatchObject({ allowed: false });
  });

  it("keeps a weak token and a password locked out cluster-wide, the right one included", async () => {
    for (const settings of [
      { token: () => "letmein1" },
      { mode: "password" as const, password: () => STRONG },
    ] satisfies Partial<AuthSettings>[]) {
      const { gateways } = cluster(settings);
      const right = settings.mode === "password" ? STRONG : "letmein1";
      for (let index = 0; index < LIMIT.maxAttempts; index++) {
        await gateways[index % 3]!.authenticate(bearer(`wrong-${index}`));
      }
      expect(await gateways[0]!.authenticate(bearer(right))).toMatchObject({ status: 429 });
    }
  });

  it("forgets an address's failures cluster-wide on a success, and releases the lock after lockoutMs", async () => {
    const { gateways, clock } = cluster({ token: () => "letmein1" });
    for (let index = 0; index < LIMIT.maxAttempts - 1; index++) {
      await gateways[index % 3]!.authenticate(bearer(`wrong-${index}`));
    }
    expect(await gateways[1]!.authenticate(bearer("letmein1"))).toMatchObject({ ok: true });
    expect(await gateways[2]!.authenticate(bearer("wrong"))).toMatchObject({ status: 401 });
    for (let index = 0; index < LIMIT.maxAttempts; index++) {
      await gateways[0]!.authenticate(bearer(`wrong-${index}`));
    }
    await delivered();
    expect(await gateways[1]!.authenticate(bearer("letmein1"))).toMatchObject({ status: 429 });
    clock.now += LIMIT.lockoutMs;
    expect(await gateways[1]!.authenticate(bearer("letmein1"))).toMatchObject({ ok: true });
  });

  it("ignores lockout events of another scope or the wrong shape", async () => {
    const location = new MemoryLocation();
    const storage = createMemoryStorage(location);
    const limiter = new ClusterFailureLimiter({
      store: storage.failureCounters,
      events: storage.events,
      scope: "gateway",
    });
    const until = Date.now() + 60_000;
    await storage.events.publish(LOCKOUT_TOPIC, { scope: "hooks", key: "10.0.0.9", lockedUntil: until });
    await storage.events.publish(LOCKOUT_TOPIC, { scope: "gateway", key: 9, lockedUntil: until });
    await storage.events.publish(LOCKOUT_TOPIC, "10.0.0.9");
    await delivered();
    expect(limiter.cachedLock("10.0.0.9")).toBeUndefined();
    await storage.events.publish(LOCKOUT_TOPIC, { scope: "gateway", key: "10.0.0.9", lockedUntil: until });
    await delivered();
    expect(limiter.cachedLock("10.0.0.9")).toMatchObject({ allowed: false });
    limiter.close();
  });

  it("counts hook failures across the cluster apart from the gateway's", async () => {
    const location = new MemoryLocation();
    const hookToken = "hook-Token-0123456789abcdefghijklmnop";
    const storages = [0, 1, 2].map(() => createMemoryStorage(location));
    const hooks = storages.map(
      (storage) =>
        new HookAuthenticator({
          enabled: () => true,
          token: () => hookToken,
          gatewaySecrets: () => [],
          clusterFailures: new ClusterFailureLimiter({
            store: storage.failureCounters,
            events: storage.events,
            scope: "hooks",
          }),
        }),
    );
    const attempt = (token: string) => ({
      socketAddress: "10.0.0.9",
      headers: { authorization: `Bearer ${token}` },
      query: "",
    });
    for (let index = 0; index < HOOK_AUTH_RATE_LIMIT.maxAttempts; index++) {
      expect(await hooks[index % 3]!.authenticate(attempt(`wrong-${index}`))).toMatchObject({ status: 401 });
    }
    for (const hook of hooks)
      expect(await hook.authenticate(attempt("wrong"))).toMatchObject({ status: 429 });
    expect(await hooks[0]!.authenticate(attempt(hookToken))).toEqual({ ok: true });
    // The gateway's own limiter on the same address is untouched by the hooks' failures.
    const gateway = new ClusterFailureLimiter({
      store: storages[0]!.failureCounters,
      events: storages[0]!.events,
      scope: "gateway",
    });
    expect(await gateway.check("10.0.0.9")).toEqual({ allowed: true });
  });
});
