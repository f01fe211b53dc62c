import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAIRING_POLICY, type PairingRequestResult } from "../channel-pairing-store.js";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

/** Written out rather than imported: the contract checks the documented alphabet, not the code's. */
const CODE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;
const TTL = DEFAULT_PAIRING_POLICY.ttlMs;

const sender = (
  senderId: string,
  fields: { channel?: string; accountId?: string; senderName?: string } = {},
) => ({
  channel: "telegram",
  accountId: "default",
  senderId,
  peerId: `dm-${senderId}`,
  ...fields,
});

function codeOf(result: PairingRequestResult): string {
  if (result.status === "full") throw new Error("expected a request, got full");
  return result.request.code;
}

/** ChannelPairingStore: codes, the pending bound, expiry, approval and its undoing, restarts. */
export function describeChannelPairingContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: channel pairing`, () => {
    const fixture = useStorage(backend);
    const pairing = () => fixture.storage.channelPairing;

    it("gives every request 8 characters of the alphabet, no two pending alike", async () => {
      const codes = new Set<string>();
      let account = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 6 }),
          async (senders) => {
            account++;
            for (const senderId of senders) {
              const result = await pairing().request(sender(senderId, { accountId: `account-${account}` }), {
                ttlMs: TTL,
                maxPending: 10,
              });
              expect(result.status).toBe("created");
              const code = codeOf(result);
              expect(code).toMatch(CODE);
              expect(codes.has(code)).toBe(false);
              codes.add(code);
            }
          },
        ),
        { numRuns: 30 },
      );
      expect(new Set((await pairing().pending()).map((request) => request.code))).toEqual(codes);
    });

    it("creates a request with its code and expiry, once: the same sender again is pending with the same code", async () => {
      const now = fixture.clock.now();
      const created = await pairing().request({
        ...sender("42", { senderName: "Ada" }),
        senderUsername: "ada",
      });
      expect(created).toEqual({
        status: "created",
        request: {
          channel: "telegram",
          accountId: "default",
          code: expect.stringMatching(CODE),
          senderId: "42",
          senderName: "Ada",
          senderUsername: "ada",
          peerId: "dm-42",
          createdAt: now,
          expiresAt: now + TTL,
        },
      });
      fixture.clock.advance(TTL - 1);
      const again = await pairing().request(sender("42", { senderName: "Ada Lovelace" }));
      expect(again).toEqual({ status: "pending", request: created.status === "created" && created.request });
      expect(await pairing().pending()).toEqual([again.status === "pending" && again.request]);
    });

    it("holds 3 unexpired requests per channel account; a 4th is ignored, another account has its own", async () => {
      for (const id of ["1", "2", "3"]) expect((await pairing().request(sender(id))).status).toBe("created");
      expect(await pairing().request(sender("4"))).toEqual({ status: "full" });
      expect((await pairing().request(sender("1"))).status).toBe("pending");
      expect((await pairing().request(sender("4", { accountId: "work" }))).status).toBe("created");
      expect((await pairing().request(sender("4", { channel: "discord" }))).status).toBe("created");
      expect((await pairing().pending("telegram")).map((request) => request.senderId)).toEqual([
        "1",
        "2",
        "3",
        "4",
      ]);
      expect(await pairing().request(sender("5"), { ttlMs: TTL, maxPending: 5 })).toMatchObject({
        status: "created",
      });
    });

    it("lets a request expire after its ttl: a slot frees, the old code approves nothing, the sender gets a new one", async () => {
      const first = codeOf(await pairing().request(sender("1")));
      fixture.clock.advance(1_000);
      await pairing().request(sender("2"));
      await pairing().request(sender("3"));
      fixture.clock.advance(TTL - 1_000);
      expect((await pairing().pending()).map((request) => request.senderId)).toEqual(["2", "3"]);
      expect(await pairing().approve("telegram", first)).toBeUndefined();
      expect(await pairing().dismiss("telegram", first)).toBe(false);
      expect(await pairing().isApproved("telegram", "default", "1")).toBe(false);
      expect((await pairing().request(sender("4"))).status).toBe("created");
      expect(await pairing().request(sender("5"))).toEqual({ status: "full" });
      fixture.clock.advance(1_000);
      const renewed = await pairing().request(sender("1"));
      expect(renewed.status).toBe("created");
      expect(codeOf(renewed)).not.toBe(first);
      expect(await pairing().approve("telegram", first)).toBeUndefined();
    });

    it("honours a policy's ttl", async () => {
      const short = { ttlMs: 60_000, maxPending: 1 };
      const created = await pairing().request(sender("1"), short);
      expect(created).toMatchObject({ request: { expiresAt: fixture.clock.now() + 60_000 } });
      expect(await pairing().request(sender("2"), short)).toEqual({ status: "full" });
      fixture.clock.advance(60_000);
      expect(await pairing().pending()).toEqual([]);
      expect((await pairing().request(sender("2"), short)).status).toBe("created");
    });

    it("approves by code whatever its case: the sender is approved, listed, and the request gone", async () => {
      const created = await pairing().request(sender("42", { senderName: "Ada" }));
      const code = codeOf(created);
      await pairing().request(sender("43"));
      fixture.clock.advance(5_000);
      const approved = await pairing().approve("telegram", ` ${code.toLowerCase()} `);
      expect(approved).toEqual(created.status === "created" && created.request);
      expect(await pairing().isApproved("telegram", "default", "42")).toBe(true);
      expect(await pairing().isApproved("telegram", "default", "43")).toBe(false);
      expect(await pairing().isApproved("telegram", "work", "42")).toBe(false);
      expect(await pairing().isApproved("discord", "default", "42")).toBe(false);
      expect(await pairing().approvals()).toEqual([
        {
          channel: "telegram",
          accountId: "default",
          senderId: "42",
          senderName: "Ada",
          approvedAt: fixture.clock.now(),
        },
      ]);
      expect((await pairing().pending()).map((request) => request.senderId)).toEqual(["43"]);
      expect(await pairing().approve("telegram", code)).toBeUndefined();
    });

    it("approves only on the request's channel and account (any account of it when none is given)", async () => {
      const work = codeOf(await pairing().request(sender("1", { accountId: "work" })));
      const home = codeOf(await pairing().request(sender("2")));
      expect(await pairing().approve("telegram", work, "default")).toBeUndefined();
      expect(await pairing().approve("discord", work)).toBeUndefined();
      expect(await pairing().approve("telegram", "ZZZZZZZZ")).toBeUndefined();
      expect(await pairing().approve("telegram", "")).toBeUndefined();
      expect(await pairing().isApproved("telegram", "work", "1")).toBe(false);
      expect(await pairing().approve("telegram", work, "work")).toMatchObject({ senderId: "1" });
      expect(await pairing().approve("telegram", home)).toMatchObject({
        senderId: "2",
        accountId: "default",
      });
      expect((await pairing().approvals()).map((approval) => approval.senderId)).toEqual(["1", "2"]);
    });

    it("dismisses a request without approving it; the sender may ask again", async () => {
      const code = codeOf(await pairing().request(sender("1")));
      expect(await pairing().dismiss("telegram", code, "work")).toBe(false);
      expect(await pairing().dismiss("telegram", code.toLowerCase(), "default")).toBe(true);
      expect(await pairing().dismiss("telegram", code)).toBe(false);
      expect(await pairing().pending()).toEqual([]);
      expect(await pairing().isApproved("telegram", "default", "1")).toBe(false);
      expect(await pairing().approve("telegram", code)).toBeUndefined();
      expect((await pairing().request(sender("1"))).status).toBe("created");
    });

    it("revokes an approval: the sender is unknown again and must pair anew", async () => {
      await pairing().approve("telegram", codeOf(await pairing().request(sender("1"))));
      await pairing().approve("telegram", codeOf(await pairing().request(sender("2"))));
      expect(await pairing().revoke("telegram", "work", "1")).toBe(false);
      expect(await pairing().revoke("telegram", "default", "1")).toBe(true);
      expect(await pairing().revoke("telegram", "default", "1")).toBe(false);
      expect(await pairing().isApproved("telegram", "default", "1")).toBe(false);
      expect((await pairing().approvals()).map((approval) => approval.senderId)).toEqual(["2"]);
      expect((await pairing().request(sender("1"))).status).toBe("created");
    });

    it("lists requests and approvals of one channel, oldest first", async () => {
      for (const [id, channel] of [
        ["1", "telegram"],
        ["2", "discord"],
        ["3", "telegram"],
      ] as const) {
        fixture.clock.advance(1_000);
        await pairing().request(sender(id, { channel }));
      }
      expect((await pairing().pending("telegram")).map((request) => request.senderId)).toEqual(["1", "3"]);
      expect((await pairing().pending("slack")).length).toBe(0);
      for (const request of await pairing().pending()) {
        fixture.clock.advance(1_000);
        await pairing().approve(request.channel, request.code);
      }
      expect((await pairing().approvals()).map((approval) => approval.senderId)).toEqual(["1", "2", "3"]);
      expect((await pairing().approvals("discord")).map((approval) => approval.senderId)).toEqual(["2"]);
    });

    it("keeps approvals and pending requests across a restart", async () => {
      await pairing().approve(
        "telegram",
        codeOf(await pairing().request(sender("1", { senderName: "Ada" }))),
      );
      const pending = codeOf(await pairing().request(sender("2")));
      const approvals = await pairing().approvals();
      const requests = await pairing().pending();
      const reopened = await fixture.restart();
      expect(await reopened.channelPairing.approvals()).toEqual(approvals);
      expect(await reopened.channelPairing.isApproved("telegram", "default", "1")).toBe(true);
      expect(await reopened.channelPairing.pending()).toEqual(requests);
      expect((await reopened.channelPairing.request(sender("2"))).status).toBe("pending");
      expect(await reopened.channelPairing.approve("telegram", pending)).toMatchObject({ senderId: "2" });
    });
  });
}
