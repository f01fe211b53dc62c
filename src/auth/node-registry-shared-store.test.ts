import { describe, expect, it } from "vitest";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import { generateDeviceIdentity } from "./device-identity.js";
import { NodeRegistry } from "./node-registry.js";

function device() {
  const identity = generateDeviceIdentity();
  return { id: identity.deviceId, publicKey: identity.publicKey };
}

// Two gateways of one cluster: each has its own registry over one shared store.
describe("NodeRegistry over a shared store", () => {
  it("sees another gateway's decisions at once: a node revoked anywhere is revoked here", async () => {
    const shared = new MemoryLocation();
    const here = await NodeRegistry.over(createMemoryStorage(shared).nodes);
    const there = await NodeRegistry.over(createMemoryStorage(shared).nodes);
    const phone = device();
    const ended: string[] = [];
    here.onChange((record, change) => ended.push(`${change} ${record.status}`));
    await there.request(phone);
    await there.approve(phone.id);
    expect(here.get(phone.id)?.status).toBe("approved");
    await there.revoke(phone.id);
    expect(here.get(phone.id)?.status).toBe("revoked");
    await there.remove(phone.id);
    expect(here.get(phone.id)).toBeUndefined();
    expect(ended).toEqual([
      "node-updated pending",
      "node-updated approved",
      "node-updated revoked",
      "node-removed revoked",
    ]);
    await here.close();
    await there.close();
  });

  it("starts from what the store holds, and stops following it once closed", async () => {
    const shared = new MemoryLocation();
    const first = await NodeRegistry.over(createMemoryStorage(shared).nodes);
    const phone = device();
    await first.request(phone);
    const second = await NodeRegistry.over(createMemoryStorage(shared).nodes);
    expect(second.pending().map((node) => node.id)).toEqual([phone.id]);
    await second.close();
    await first.approve(phone.id);
    expect(second.get(phone.id)?.status).toBe("pending");
    await first.close();
  });
});
