import { describe, expect, it, vi } from "vitest";
import type { NodeChange } from "../node-pairing-store.js";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

const MAX_PENDING = 25;
const device = (name: string) => ({ id: `device-${name}`, publicKey: `key-${name}` });
const summary = (change: NodeChange) => `${change.type} ${change.node.id} ${change.node.status}`;

/** NodePairingStore: requests, decisions, removal, the pending bound, change events, concurrency. */
export function describeNodePairingContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: node pairing`, () => {
    const fixture = useStorage(backend, { maxPendingNodes: MAX_PENDING });
    const nodes = () => fixture.storage.nodes;
    const iso = () => new Date(fixture.clock.now()).toISOString();

    it("records an unknown device as pending, labels bounded", async () => {
      const phone = device("phone");
      const record = await nodes().request({
        ...phone,
        displayName: "x".repeat(500),
        platform: "ios",
        remoteAddress: "192.168.1.20",
      });
      expect(record).toEqual({
        ...phone,
        displayName: "x".repeat(200),
        platform: "ios",
        status: "pending",
        requestedAt: iso(),
        lastSeenAt: iso(),
        remoteAddress: "192.168.1.20",
      });
      expect(await nodes().get(phone.id)).toEqual(record);
      expect(await nodes().pending()).toEqual([record]);
      expect(await nodes().list()).toEqual([record]);
    });

    it("keeps a known device's status, key and labels; only when and where it was seen change", async () => {
      const phone = device("phone");
      await nodes().request({ ...phone, displayName: "phone" });
      await nodes().approve(phone.id);
      fixture.clock.advance(60_000);
      const again = await nodes().request({
        ...phone,
        displayName: "Admin console",
        remoteAddress: "10.0.0.9",
      });
      expect(again).toMatchObject({
        status: "approved",
        displayName: "phone",
        lastSeenAt: iso(),
        remoteAddress: "10.0.0.9",
      });
    });

    it("refuses a known id with another key and keeps the pinned one; refuses an empty id", async () => {
      const phone = device("phone");
      await nodes().request(phone);
      await expect(nodes().request({ id: phone.id, publicKey: "key-impostor" })).rejects.toMatchObject({
        code: "OC_ERR_FORBIDDEN",
      });
      expect((await nodes().get(phone.id))?.publicKey).toBe(phone.publicKey);
      await expect(nodes().request({ id: "", publicKey: "k" })).rejects.toMatchObject({
        code: "OC_ERR_BAD_REQUEST",
      });
      expect(await nodes().list()).toHaveLength(1);
    });

    it("records decisions with their time; the same decision again changes nothing", async () => {
      const phone = device("phone");
      await nodes().request(phone);
      fixture.clock.advance(5_000);
      const decidedAt = iso();
      expect(await nodes().approve(phone.id)).toMatchObject({ status: "approved", decidedAt });
      fixture.clock.advance(5_000);
      expect(await nodes().approve(phone.id)).toMatchObject({ decidedAt });
      expect(await nodes().revoke(phone.id)).toMatchObject({ status: "revoked", decidedAt: iso() });
      expect((await nodes().request(phone)).status).toBe("revoked");
      expect(await nodes().reject(phone.id)).toMatchObject({ status: "rejected" });
      expect(await nodes().pending()).toEqual([]);
    });

    it.each(["approve", "reject", "revoke", "remove"] as const)(
      "answers %s of an unknown id with OC_ERR_NOT_FOUND",
      async (action) => {
        await expect(nodes()[action]("no-such-node")).rejects.toMatchObject({
          code: "OC_ERR_NOT_FOUND",
          hint: expect.stringContaining("openclaw nodes pending"),
        });
      },
    );

    it("forgets a removed device: asking again makes it pending afresh", async () => {
      const phone = device("phone");
      await nodes().request(phone);
      await nodes().reject(phone.id);
      expect(await nodes().remove(phone.id)).toMatchObject({ id: phone.id, status: "rejected" });
      expect(await nodes().get(phone.id)).toBeUndefined();
      expect((await nodes().request(phone)).status).toBe("pending");
    });

    it("bounds pending requests by dropping the oldest, never a decided node, and says so", async () => {
      const changes: string[] = [];
      nodes().onChange((change) => changes.push(summary(change)));
      const approved = device("approved");
      await nodes().request(approved);
      await nodes().approve(approved.id);
      const requests = Array.from({ length: MAX_PENDING + 2 }, (_, index) => device(`r${index}`));
      for (const each of requests) {
        fixture.clock.advance(1_000);
        await nodes().request(each);
      }
      expect((await nodes().pending()).map((node) => node.id)).toEqual(
        requests.slice(2).map((each) => each.id),
      );
      expect((await nodes().get(approved.id))?.status).toBe("approved");
      expect(changes.filter((change) => change.startsWith("node-removed"))).toEqual([
        "node-removed device-r0 pending",
        "node-removed device-r1 pending",
      ]);
    });

    it("announces each stored change once, not a no-op, and stops after unsubscribe", async () => {
      const changes: string[] = [];
      const unsubscribe = nodes().onChange((change) => changes.push(summary(change)));
      const phone = device("phone");
      await nodes().request(phone);
      await nodes().approve(phone.id);
      await nodes().approve(phone.id);
      await nodes().revoke(phone.id);
      await nodes().remove(phone.id);
      unsubscribe();
      await nodes().request(phone);
      expect(changes).toEqual([
        "node-updated device-phone pending",
        "node-updated device-phone approved",
        "node-updated device-phone revoked",
        "node-removed device-phone revoked",
      ]);
    });

    it("keeps going after a listener throws or a change fails", async () => {
      const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
      nodes().onChange(() => {
        throw new Error("a listener's bug");
      });
      const phone = device("phone");
      const results = await Promise.allSettled([
        nodes().approve("missing"),
        nodes().request(phone),
        nodes().approve(phone.id),
      ]);
      expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
      expect((await nodes().get(phone.id))?.status).toBe("approved");
      expect(warnings).toHaveBeenCalledTimes(2);
      warnings.mockRestore();
    });

    it("applies concurrent changes one at a time without losing any", async () => {
      const devices = Array.from({ length: 20 }, (_, index) => device(`d${index}`));
      await Promise.all(devices.map((each) => nodes().request(each)));
      await Promise.all(
        devices.map((each, index) => (index % 2 === 0 ? nodes().approve(each.id) : nodes().reject(each.id))),
      );
      const listed = await nodes().list();
      expect(listed).toHaveLength(20);
      expect(listed.filter((node) => node.status === "approved")).toHaveLength(10);
      expect(listed.filter((node) => node.status === "rejected")).toHaveLength(10);
    });

    it("hands out copies: editing one changes nothing stored", async () => {
      const phone = device("phone");
      const record = await nodes().request(phone);
      record.status = "approved";
      const [listed] = await nodes().list();
      listed!.status = "approved";
      nodes().onChange((change) => {
        change.node.status = "approved";
      });
      await nodes().request(phone);
      expect((await nodes().get(phone.id))?.status).toBe("pending");
    });

    it.skipIf(!backend.shared)(
      "tells every storage open on the place of a change (a node revoked anywhere)",
      async () => {
        const other = await fixture.openAnother();
        const seen: string[] = [];
        other.nodes.onChange((change) => seen.push(summary(change)));
        const phone = device("phone");
        await nodes().request(phone);
        await nodes().approve(phone.id);
        await nodes().revoke(phone.id);
        // Another gateway hears of a change as the database tells it (a notification), not at once.
        await vi.waitFor(() => expect(seen).toHaveLength(3));
        expect(seen).toEqual([
          "node-updated device-phone pending",
          "node-updated device-phone approved",
          "node-updated device-phone revoked",
        ]);
        expect((await other.nodes.get(phone.id))?.status).toBe("revoked");
      },
    );
  });
}
