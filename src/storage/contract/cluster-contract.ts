import { describe, expect, it, vi } from "vitest";
import type { ClusterEvent } from "../cluster-events.js";
import type { FailureLimits } from "../failure-counter-store.js";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

const LIMITS: FailureLimits = { maxAttempts: 5, windowMs: 60_000, lockoutMs: 300_000 };

function collect(events: ClusterEvent[]) {
  return (event: ClusterEvent) => events.push(event);
}

/** Events, replicas, the capability key and revocations, failure counters: what a cluster shares. */
export function describeClusterContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: cluster events`, () => {
    const fixture = useStorage(backend);

    it("delivers an event to its publisher too, in publish order, with a copy of the payload", async () => {
      const seen: ClusterEvent[] = [];
      fixture.storage.events.subscribe(collect(seen));
      const payload = { text: "hello", nested: { n: 1 } };
      const first = await fixture.storage.events.publish("chat", payload);
      payload.nested.n = 2;
      const second = await fixture.storage.events.publish("canvas", { text: "second" });
      const third = await fixture.storage.events.publish("config", undefined);
      expect(second).toBeGreaterThan(first);
      expect(third).toBeGreaterThan(second);
      await vi.waitFor(() => expect(seen).toHaveLength(3));
      expect(seen.map((event) => [event.seq, event.topic])).toEqual([
        [first, "chat"],
        [second, "canvas"],
        [third, "config"],
      ]);
      expect(seen[0]?.payload).toEqual({ text: "hello", nested: { n: 1 } });
      expect(seen[0]?.at).toBe(fixture.clock.now());
      expect(seen[2]?.payload).toBeUndefined();
      expect(new Set(seen.map((event) => event.origin)).size).toBe(1);
    });

    it("stops delivering to a handler once unsubscribed, and each subscription is its own", async () => {
      const kept: ClusterEvent[] = [];
      const dropped: ClusterEvent[] = [];
      const handler = collect(dropped);
      fixture.storage.events.subscribe(collect(kept));
      const unsubscribe = fixture.storage.events.subscribe(handler);
      fixture.storage.events.subscribe(handler);
      unsubscribe();
      await fixture.storage.events.publish("chat", { n: 1 });
      await vi.waitFor(() => expect(kept).toHaveLength(1));
      expect(dropped).toHaveLength(1);
    });

    it.skipIf(!backend.shared)(
      "delivers to every storage open on the place, each event once, none from before it subscribed",
      async () => {
        await fixture.storage.events.publish("chat", { before: true });
        const other = await fixture.openAnother();
        const here: ClusterEvent[] = [];
        const there: ClusterEvent[] = [];
        fixture.storage.events.subscribe(collect(here));
        other.events.subscribe(collect(there));
        const seqs: number[] = [];
        for (let index = 0; index < 5; index++) {
          const from = index % 2 === 0 ? fixture.storage : other;
          seqs.push(await from.events.publish("chat", { index }));
        }
        await vi.waitFor(() => expect(there).toHaveLength(5));
        await vi.waitFor(() => expect(here).toHaveLength(5));
        expect(there.map((event) => event.seq)).toEqual(seqs);
        expect(here.map((event) => event.seq)).toEqual(seqs);
        expect(there.map((event) => event.payload)).toEqual([0, 1, 2, 3, 4].map((index) => ({ index })));
        expect(here[0]?.origin).not.toBe(here[1]?.origin);
      },
    );

    it.skipIf(!backend.shared || !backend.interruptConnections)(
      "gives a subscriber what was published while its connection was down",
      async () => {
        const other = await fixture.openAnother();
        const there: ClusterEvent[] = [];
        other.events.subscribe(collect(there));
        await backend.interruptConnections?.();
        const seqs: number[] = [];
        for (let index = 0; index < 3; index++)
          seqs.push(await fixture.storage.events.publish("chat", { index }));
        await vi.waitFor(() => expect(there.map((event) => event.seq)).toEqual(seqs), { timeout: 15_000 });
      },
    );
  });

  describe(`${backend.name}: replicas`, () => {
    const fixture = useStorage(backend);
    const replica = (id: string, startedAt: number) => ({
      id,
      internalUrl: `http://127.0.0.1:1000${id.length}`,
      version: "1.0.0",
      startedAt,
    });

    it("lists announced replicas oldest start first, until their TTL passes unless they announce again", async () => {
      const now = fixture.clock.now();
      await fixture.storage.replicas.announce(replica("b", now - 10), 30_000);
      await fixture.storage.replicas.announce(replica("a", now - 20), 10_000);
      const listed = await fixture.storage.replicas.list();
      expect(listed.map((each) => each.id)).toEqual(["a", "b"]);
      expect(listed[0]).toMatchObject({ lastSeenAt: now, expiresAt: now + 10_000 });
      fixture.clock.advance(10_000);
      expect((await fixture.storage.replicas.list()).map((each) => each.id)).toEqual(["b"]);
      await fixture.storage.replicas.announce(replica("a", now - 20), 60_000);
      fixture.clock.advance(25_000);
      expect((await fixture.storage.replicas.list()).map((each) => each.id)).toEqual(["a"]);
    });

    it("forgets a replica that leaves", async () => {
      await fixture.storage.replicas.announce(replica("a", 1), 60_000);
      await fixture.storage.replicas.leave("a");
      expect(await fixture.storage.replicas.list()).toEqual([]);
    });

    it.skipIf(!backend.shared)("is one registry for every storage open on the place", async () => {
      const other = await fixture.openAnother();
      await fixture.storage.replicas.announce(replica("a", 1), 60_000);
      await other.replicas.announce(replica("b", 2), 60_000);
      expect((await other.replicas.list()).map((each) => each.id)).toEqual(["a", "b"]);
      await other.replicas.leave("a");
      expect((await fixture.storage.replicas.list()).map((each) => each.id)).toEqual(["b"]);
    });
  });

  describe(`${backend.name}: capability state`, () => {
    const fixture = useStorage(backend);

    it("makes one 32-byte signing key and answers it every time, as a copy", async () => {
      const key = await fixture.storage.capabilityState.signingKey();
      expect(key).toHaveLength(32);
      key.fill(0);
      const again = await fixture.storage.capabilityState.signingKey();
      expect(again.equals(Buffer.alloc(32))).toBe(false);
      expect((await fixture.storage.capabilityState.signingKey()).equals(again)).toBe(true);
    });

    it.skipIf(!backend.shared)(
      "gives every storage open on the place the same key, asked at once",
      async () => {
        const others = await Promise.all([fixture.openAnother(), fixture.openAnother()]);
        const keys = await Promise.all(
          [fixture.storage, ...others].map((storage) => storage.capabilityState.signingKey()),
        );
        expect(keys[1]?.equals(keys[0] as Buffer)).toBe(true);
        expect(keys[2]?.equals(keys[0] as Buffer)).toBe(true);
      },
    );

    it("replaces a revocation by a later one of the same scope and id, and forgets it after keepUntil", async () => {
      const now = fixture.clock.now();
      const state = fixture.storage.capabilityState;
      await state.revoke({ scope: "node", id: "phone", issuedUpTo: now - 100, keepUntil: now + 1_000 });
      await state.revoke({ scope: "session", id: "phone", issuedUpTo: now - 50, keepUntil: now + 5_000 });
      await state.revoke({ scope: "node", id: "phone", issuedUpTo: now, keepUntil: now + 2_000 });
      const sorted = async () =>
        (await state.revocations()).sort((a, b) => `${a.scope}${a.id}`.localeCompare(`${b.scope}${b.id}`));
      expect(await sorted()).toEqual([
        { scope: "node", id: "phone", issuedUpTo: now, keepUntil: now + 2_000 },
        { scope: "session", id: "phone", issuedUpTo: now - 50, keepUntil: now + 5_000 },
      ]);
      fixture.clock.advance(2_000);
      expect(await sorted()).toEqual([
        { scope: "session", id: "phone", issuedUpTo: now - 50, keepUntil: now + 5_000 },
      ]);
    });

    it.skipIf(!backend.shared)("shows a revocation made anywhere to every storage on the place", async () => {
      const other = await fixture.openAnother();
      const now = fixture.clock.now();
      await other.capabilityState.revoke({ scope: "node", id: "n", issuedUpTo: now, keepUntil: now + 1 });
      expect(await fixture.storage.capabilityState.revocations()).toEqual([
        { scope: "node", id: "n", issuedUpTo: now, keepUntil: now + 1 },
      ]);
    });
  });

  describe(`${backend.name}: failure counters`, () => {
    const fixture = useStorage(backend);

    it("locks a key at maxAttempts failures for lockoutMs, without extending the lock, and a success clears", async () => {
      const counters = fixture.storage.failureCounters;
      const now = fixture.clock.now();
      for (let attempt = 1; attempt < LIMITS.maxAttempts; attempt++) {
        expect(await counters.recordFailure("client", LIMITS)).toEqual({ locked: false, lockedUntil: 0 });
      }
      expect(await counters.lockedUntil("client")).toBe(0);
      expect(await counters.recordFailure("client", LIMITS)).toEqual({
        locked: true,
        lockedUntil: now + LIMITS.lockoutMs,
      });
      fixture.clock.advance(1_000);
      expect(await counters.recordFailure("client", LIMITS)).toEqual({
        locked: true,
        lockedUntil: now + LIMITS.lockoutMs,
      });
      await counters.clear("client");
      expect(await counters.lockedUntil("client")).toBe(now + LIMITS.lockoutMs);
      expect(await counters.lockedUntil("other")).toBe(0);
      fixture.clock.advance(LIMITS.lockoutMs);
      expect(await counters.lockedUntil("client")).toBe(0);
      expect(await counters.recordFailure("client", LIMITS)).toEqual({ locked: false, lockedUntil: 0 });
    });

    it("counts failures within the window only, and forgets them on a success", async () => {
      const counters = fixture.storage.failureCounters;
      for (let attempt = 1; attempt < LIMITS.maxAttempts; attempt++)
        await counters.recordFailure("k", LIMITS);
      fixture.clock.advance(LIMITS.windowMs);
      expect((await counters.recordFailure("k", LIMITS)).locked).toBe(false);
      await counters.clear("k");
      for (let attempt = 1; attempt < LIMITS.maxAttempts; attempt++) {
        expect((await counters.recordFailure("k", LIMITS)).locked).toBe(false);
      }
      expect((await counters.recordFailure("k", LIMITS)).locked).toBe(true);
    });

    it.skipIf(!backend.shared)(
      "locks at exactly maxAttempts when two storages count failures at once",
      async () => {
        const other = await fixture.openAnother();
        const storages = [fixture.storage, other];
        const fail = (count: number) =>
          Promise.all(
            Array.from({ length: count }, (_, index) =>
              storages[index % 2]?.failureCounters.recordFailure("shared", LIMITS),
            ),
          );
        const early = await fail(LIMITS.maxAttempts - 1);
        expect(early.filter((result) => result?.locked)).toHaveLength(0);
        expect(await other.failureCounters.lockedUntil("shared")).toBe(0);
        const last = await fail(1);
        expect(last[0]?.locked).toBe(true);

        const burst = await Promise.all(
          Array.from({ length: LIMITS.maxAttempts }, (_, index) =>
            storages[index % 2]?.failureCounters.recordFailure("burst", LIMITS),
          ),
        );
        expect(burst.filter((result) => result?.locked)).toHaveLength(1);
        expect(await fixture.storage.failureCounters.lockedUntil("burst")).toBeGreaterThan(0);
      },
    );
  });
}
