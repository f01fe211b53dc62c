import { describe, expect, it } from "vitest";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

const TTL = 10 * 60_000;
const MAX_KEYS = 5;

interface Run {
  runId: string;
  state: "running" | "ok";
}

/** IdempotencyStore: one claim per key under races, answers kept until their age or the count bound. */
export function describeIdempotencyContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: idempotency`, () => {
    const fixture = useStorage(backend, { maxIdempotencyKeys: MAX_KEYS });
    const runs = () => fixture.storage.idempotency<Run>("runs");

    it("claims an unknown key, then answers what the key holds", async () => {
      expect(await runs().claim("k", { runId: "k", state: "running" }, TTL)).toEqual({ claimed: true });
      expect(await runs().get("k")).toEqual({ runId: "k", state: "running" });
      expect(await runs().claim("k", { runId: "other", state: "running" }, TTL)).toEqual({
        claimed: false,
        existing: { runId: "k", state: "running" },
      });
      expect(await runs().get("unknown")).toBeUndefined();
    });

    it("lets exactly one of many concurrent claims win, and shows the others its value", async () => {
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          runs().claim("k", { runId: `r${index}`, state: "running" }, TTL),
        ),
      );
      const winners = claims.flatMap((claim, index) => (claim.claimed ? [index] : []));
      expect(winners).toHaveLength(1);
      const winner = { runId: `r${winners[0]}`, state: "running" };
      for (const claim of claims) if (!claim.claimed) expect(claim.existing).toEqual(winner);
    });

    it("answers the update after one, and keeps the expiry of the claim", async () => {
      await runs().claim("k", { runId: "k", state: "running" }, TTL);
      fixture.clock.advance(TTL - 1_000);
      await runs().update("k", { runId: "k", state: "ok" });
      expect(await runs().claim("k", { runId: "k", state: "running" }, TTL)).toEqual({
        claimed: false,
        existing: { runId: "k", state: "ok" },
      });
      fixture.clock.advance(2_000);
      expect(await runs().get("k")).toBeUndefined();
    });

    it("never claims on update: a key expired or forgotten stays unknown", async () => {
      await runs().update("never-claimed", { runId: "x", state: "ok" });
      expect(await runs().get("never-claimed")).toBeUndefined();
      await runs().claim("k", { runId: "k", state: "running" }, TTL);
      await runs().forget("k");
      await runs().update("k", { runId: "k", state: "ok" });
      expect(await runs().get("k")).toBeUndefined();
    });

    it("lets a key be claimed again once forgotten or expired", async () => {
      await runs().claim("forgotten", { runId: "1", state: "running" }, TTL);
      await runs().forget("forgotten");
      expect(await runs().claim("forgotten", { runId: "2", state: "running" }, TTL)).toEqual({
        claimed: true,
      });
      await runs().claim("short", { runId: "1", state: "running" }, 1_000);
      fixture.clock.advance(999);
      expect((await runs().claim("short", { runId: "2", state: "running" }, TTL)).claimed).toBe(false);
      fixture.clock.advance(2);
      expect(await runs().claim("short", { runId: "3", state: "running" }, TTL)).toEqual({ claimed: true });
      expect(await runs().get("short")).toEqual({ runId: "3", state: "running" });
    });

    it("forgets the oldest claims beyond its bound", async () => {
      for (let index = 0; index <= MAX_KEYS; index++) {
        await runs().claim(`k${index}`, { runId: `k${index}`, state: "running" }, TTL);
      }
      expect(await runs().get("k0")).toBeUndefined();
      for (let index = 1; index <= MAX_KEYS; index++) expect(await runs().get(`k${index}`)).toBeDefined();
    });

    it("keeps purposes apart, and one purpose asked for twice is one store", async () => {
      await runs().claim("k", { runId: "k", state: "running" }, TTL);
      const other = fixture.storage.idempotency<Run>("deliveries");
      expect(await other.claim("k", { runId: "d", state: "running" }, TTL)).toEqual({ claimed: true });
      expect(await fixture.storage.idempotency<Run>("runs").get("k")).toEqual({
        runId: "k",
        state: "running",
      });
    });

    it.skipIf(!backend.shared)("is one store for every storage open on the place (a cluster)", async () => {
      const other = (await fixture.openAnother()).idempotency<Run>("runs");
      const claims = await Promise.all([
        ...Array.from({ length: 10 }, (_, index) =>
          runs().claim("k", { runId: `a${index}`, state: "running" }, TTL),
        ),
        ...Array.from({ length: 10 }, (_, index) =>
          other.claim("k", { runId: `b${index}`, state: "running" }, TTL),
        ),
      ]);
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
      await other.update("k", { runId: "k", state: "ok" });
      expect(await runs().get("k")).toEqual({ runId: "k", state: "ok" });
    });
  });
}
