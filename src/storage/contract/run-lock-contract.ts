import { describe, expect, it } from "vitest";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

const TTL = 30_000;

/** RunLock: one holder per key, non-blocking acquire, expiry by the injected clock, token-checked extend and release. */
export function describeRunLockContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: run lock`, () => {
    const fixture = useStorage(backend);
    const lock = () => fixture.storage.runLock;

    it("leases a free key until now + ttl, and answers null while it is held", async () => {
      const lease = await lock().acquire("agent:main:main", TTL);
      expect(lease).toMatchObject({ key: "agent:main:main", expiresAt: fixture.clock.now() + TTL });
      expect(lease?.token).toEqual(expect.any(String));
      fixture.clock.advance(TTL - 1);
      expect(await lock().acquire("agent:main:main", TTL)).toBeNull();
    });

    it("gives one lease of many concurrent acquires", async () => {
      const leases = await Promise.all(Array.from({ length: 25 }, () => lock().acquire("contended", TTL)));
      expect(leases.filter((lease) => lease !== null)).toHaveLength(1);
    });

    it("keeps keys apart", async () => {
      expect(await lock().acquire("a", TTL)).not.toBeNull();
      expect(await lock().acquire("b", TTL)).not.toBeNull();
    });

    it("frees the key on release; a lease released is lost", async () => {
      const lease = await lock().acquire("k", TTL);
      await lock().release(lease!);
      const next = await lock().acquire("k", TTL);
      expect(next).not.toBeNull();
      expect(next?.token).not.toBe(lease?.token);
      expect(await lock().extend(lease!, TTL)).toBe(false);
    });

    it("lets an expired lease be taken, and then never lets its holder extend or release it", async () => {
      const first = await lock().acquire("k", TTL);
      fixture.clock.advance(TTL + 1);
      const second = await lock().acquire("k", TTL);
      expect(second).not.toBeNull();
      expect(await lock().extend(first!, TTL)).toBe(false);
      await lock().release(first!);
      expect(await lock().acquire("k", TTL)).toBeNull();
      await lock().release(second!);
      expect(await lock().acquire("k", TTL)).not.toBeNull();
    });

    it("pushes the expiry on extend", async () => {
      const lease = await lock().acquire("k", TTL);
      fixture.clock.advance(TTL - 1_000);
      expect(await lock().extend(lease!, TTL)).toBe(true);
      fixture.clock.advance(TTL - 1_000);
      expect(await lock().acquire("k", TTL)).toBeNull();
      fixture.clock.advance(2_000);
      expect(await lock().acquire("k", TTL)).not.toBeNull();
    });

    it("lets a holder extend an expired lease nobody took since", async () => {
      const lease = await lock().acquire("k", TTL);
      fixture.clock.advance(TTL + 1);
      expect(await lock().extend(lease!, TTL)).toBe(true);
      expect(await lock().acquire("k", TTL)).toBeNull();
    });

    it.skipIf(!backend.shared)("is one lock for every storage open on the place (a cluster)", async () => {
      const other = await fixture.openAnother();
      const lease = await lock().acquire("k", TTL);
      expect(await other.runLock.acquire("k", TTL)).toBeNull();
      const contended = await Promise.all([
        ...Array.from({ length: 10 }, () => lock().acquire("c", TTL)),
        ...Array.from({ length: 10 }, () => other.runLock.acquire("c", TTL)),
      ]);
      expect(contended.filter((each) => each !== null)).toHaveLength(1);
      await other.runLock.release(lease!);
      expect(await other.runLock.acquire("k", TTL)).not.toBeNull();
    });
  });
}
