import { describe, expect, it } from "vitest";
import { createFileStorage } from "../storage/files/index.js";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import type { CapabilityGrant } from "./capabilities.js";
import { CapabilitySync, REVOCATION_TOPIC } from "./capability-sync.js";

const TTL = 10 * 60_000;
const grant: CapabilityGrant = { nodeId: "node-a", sessionKey: "agent:main:main", surfaces: ["canvas"] };

/** Three gateways on one memory location: the tests' cluster. */
async function cluster(count = 3, location = new MemoryLocation()) {
  const storages = Array.from({ length: count }, () => createMemoryStorage(location));
  const gateways = await Promise.all(storages.map((storage) => CapabilitySync.open({ storage, ttlMs: TTL })));
  return { location, storages, gateways };
}

/** Lets queued event deliveries run (the memory events arrive after the publisher's turn). */
const delivered = () => new Promise((resolve) => setImmediate(resolve));

const reasonOf = (verdict: ReturnType<CapabilitySync["verify"]>) => (verdict.ok ? "ok" : verdict.reason);

describe("CapabilitySync", () => {
  it("accepts on every gateway a capability minted on one", async () => {
    const {
      gateways: [a, b, c],
    } = await cluster();
    const { token } = a!.issue(grant);
    expect(reasonOf(b!.verify(token, "canvas"))).toBe("ok");
    expect(reasonOf(c!.verify(token, "canvas"))).toBe("ok");
  });

  it("refuses on every gateway a capability revoked on another, once the event arrived", async () => {
    const {
      gateways: [a, b, c],
    } = await cluster();
    const node = a!.issue(grant).token;
    const session = c!.issue({ ...grant, nodeId: "node-b" }).token;
    b!.revokeNode("node-a");
    c!.endSession("node-b", grant.sessionKey);
    await Promise.all([b!.settled(), c!.settled()]);
    await delivered();
    for (const gateway of [a!, b!, c!]) {
      expect(reasonOf(gateway.verify(node, "canvas"))).toBe("revoked");
      expect(reasonOf(gateway.verify(session, "canvas"))).toBe("revoked");
    }
    // What each issues from now on is after the revocation, wherever it was made.
    for (const gateway of [a!, b!, c!]) {
      const fresh = gateway.issue(grant).token;
      expect(reasonOf(a!.verify(fresh, "canvas"))).toBe("ok");
      expect(reasonOf(b!.verify(fresh, "canvas"))).toBe("ok");
    }
  });

  it("loads at start the revocations made before it", async () => {
    const location = new MemoryLocation();
    const {
      gateways: [a],
    } = await cluster(1, location);
    const token = a!.issue(grant).token;
    a!.revokeNode("node-a");
    await a!.settled();
    const late = await CapabilitySync.open({ storage: createMemoryStorage(location), ttlMs: TTL });
    expect(reasonOf(late.verify(token, "canvas"))).toBe("revoked");
    expect(reasonOf(late.verify(late.issue(grant).token, "canvas"))).toBe("ok");
  });

  it("ignores revocation events of the wrong shape", async () => {
    const {
      storages: [storage],
      gateways: [a],
    } = await cluster(1);
    const token = a!.issue(grant).token;
    for (const payload of [null, "node-a", { scope: "node", id: "node-a" }, { scope: "x", id: "node-a" }]) {
      await storage!.events.publish(REVOCATION_TOPIC, payload);
    }
    await delivered();
    expect(reasonOf(a!.verify(token, "canvas"))).toBe("ok");
    expect(a!.revocationCount).toBe(0);
  });

  it("stops following the cluster once closed", async () => {
    const {
      gateways: [a, b],
    } = await cluster(2);
    const token = a!.issue(grant).token;
    await a!.close();
    b!.revokeNode("node-a");
    await b!.settled();
    await delivered();
    expect(reasonOf(a!.verify(token, "canvas"))).toBe("ok");
    expect(reasonOf(b!.verify(token, "canvas"))).toBe("revoked");
  });

  it("keeps a random key per gateway on the files backend: another's capability is refused", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "oc-capability-sync-"));
    try {
      const storage = createFileStorage(dir);
      const one = await CapabilitySync.open({ storage, ttlMs: TTL });
      const two = await CapabilitySync.open({ storage, ttlMs: TTL });
      expect(reasonOf(two.verify(one.issue(grant).token, "canvas"))).toBe("bad_signature");
      one.revokeNode("node-a");
      await one.settled();
      // Nothing is written for a gateway alone on its state dir: revocations stay in memory.
      expect(await storage.capabilityState.revocations()).toEqual([]);
      await storage.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
