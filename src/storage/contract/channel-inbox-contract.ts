import { describe, expect, it } from "vitest";
import type { InboxEntry, InboxMessage } from "../channel-inbox-store.js";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

interface TestMessage extends InboxMessage {
  text: string;
  sender?: { id: string; name: string };
}

const message = (messageId: string, fields: Partial<TestMessage> = {}): TestMessage => ({
  channel: "telegram",
  accountId: "default",
  messageId,
  text: `text of ${messageId}`,
  ...fields,
});
const route = { agentId: "main", sessionKey: "agent:main:telegram:dm:42" };
const ids = (entries: readonly InboxEntry[]) => entries.map((entry) => entry.id);
const texts = (entries: readonly InboxEntry[]) => entries.map((entry) => (entry.message as TestMessage).text);

/** ChannelInboxStore: dedupe, every state a message passes through, depth, pruning, restarts. */
export function describeChannelInboxContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: channel inbox`, () => {
    const fixture = useStorage(backend);
    const inbox = () => fixture.storage.channelInbox;

    it("stores new messages pending, ids increasing in order; nothing for nothing", async () => {
      const now = fixture.clock.now();
      const first = message("1", { sender: { id: "42", name: "Ada" } });
      const { added, duplicates } = await inbox().add([first, message("2"), message("3")]);
      expect(duplicates).toBe(0);
      expect(added[0]).toEqual({
        id: expect.any(Number),
        message: first,
        state: "pending",
        receivedAt: now,
        attempts: 0,
        sentChunks: 0,
        sentMessageIds: [],
        updatedAt: now,
      });
      expect(texts(added)).toEqual(["text of 1", "text of 2", "text of 3"]);
      const [a, b, c] = ids(added) as [number, number, number];
      expect(a < b && b < c).toBe(true);
      const later = await inbox().add([message("4")]);
      expect(later.added[0]?.id).toBeGreaterThan(c);
      for (const entry of added) expect(await inbox().get(entry.id)).toEqual(entry);
      expect(await inbox().get(c + 1000)).toBeUndefined();
      expect(await inbox().add([])).toEqual({ added: [], duplicates: 0 });
    });

    it("dedupes a message seen again, in the same call and in a later one, whatever its content", async () => {
      const first = await inbox().add([message("1"), message("2"), message("1", { text: "edited" })]);
      expect(texts(first.added)).toEqual(["text of 1", "text of 2"]);
      expect(first.duplicates).toBe(1);
      const again = await inbox().add([message("2"), message("3"), message("1")]);
      expect(texts(again.added)).toEqual(["text of 3"]);
      expect(again.duplicates).toBe(2);
      expect(texts(await inbox().unfinished())).toEqual(["text of 1", "text of 2", "text of 3"]);
    });

    it("keys by channel, account and message id: the same id elsewhere is another message", async () => {
      const { added, duplicates } = await inbox().add([
        message("7"),
        message("7", { accountId: "work" }),
        message("7", { channel: "discord" }),
        message("7", { channel: "discord", accountId: "work" }),
      ]);
      expect(duplicates).toBe(0);
      expect(new Set(ids(added)).size).toBe(4);
      expect((await inbox().add([message("7", { accountId: "work" })])).duplicates).toBe(1);
    });

    it("keeps the message as it was given: changing the caller's object afterwards changes nothing", async () => {
      const given = message("1", { sender: { id: "42", name: "Ada" } });
      const { added } = await inbox().add([given]);
      given.text = "changed";
      if (given.sender) given.sender.name = "changed";
      (added[0]?.message as TestMessage).text = "changed too";
      expect((await inbox().get(added[0]!.id))?.message).toEqual(
        message("1", { sender: { id: "42", name: "Ada" } }),
      );
    });

    it("walks a message to its reply: each step stored, unfinished until the last chunk is sent", async () => {
      const { added } = await inbox().add([message("1"), message("2"), message("3")]);
      const [one, two, three] = ids(added) as [number, number, number];
      expect(ids(await inbox().unfinished())).toEqual([one, two, three]);

      fixture.clock.advance(1_000);
      const running = await inbox().markRunning(two, route);
      expect(running).toMatchObject({ id: two, state: "running", attempts: 1, ...route });
      expect(running.updatedAt).toBe(fixture.clock.now());
      expect(running.receivedAt).toBe(fixture.clock.now() - 1_000);
      await inbox().setPreview(two, "preview-9");
      expect(await inbox().get(two)).toMatchObject({ state: "running", previewMessageId: "preview-9" });
      expect((await inbox().unfinished()).map((entry) => [entry.id, entry.state])).toEqual([
        [one, "pending"],
        [two, "running"],
        [three, "pending"],
      ]);

      fixture.clock.advance(1_000);
      const replying = await inbox().setReply(two, ["first part", "second part"]);
      expect(replying).toMatchObject({
        state: "replying",
        replyChunks: ["first part", "second part"],
        sentChunks: 0,
        sentMessageIds: [],
        updatedAt: fixture.clock.now(),
      });
      expect(await inbox().markChunkSent(two, 0, "sent-1")).toMatchObject({
        state: "replying",
        sentChunks: 1,
        sentMessageIds: ["sent-1"],
      });
      expect((await inbox().unfinished()).map((entry) => [entry.id, entry.state])).toEqual([
        [one, "pending"],
        [two, "replying"],
        [three, "pending"],
      ]);
      const replied = await inbox().markChunkSent(two, 1, "sent-2");
      expect(replied).toMatchObject({
        state: "replied",
        attempts: 1,
        ...route,
        replyChunks: ["first part", "second part"],
        sentChunks: 2,
        sentMessageIds: ["sent-1", "sent-2"],
        previewMessageId: "preview-9",
      });
      expect(await inbox().get(two)).toEqual(replied);
      expect(ids(await inbox().unfinished())).toEqual([one, three]);
    });

    it("counts the turns started: a restart re-running a turn marks it running again", async () => {
      const { added } = await inbox().add([message("1")]);
      const id = added[0]!.id;
      await inbox().markRunning(id, route);
      const again = await inbox().markRunning(id, { agentId: "other", sessionKey: "agent:other:main" });
      expect(again).toMatchObject({ state: "running", attempts: 2, agentId: "other" });
    });

    it("is replied at once when the reply has no chunks", async () => {
      const { added } = await inbox().add([message("1"), message("2")]);
      await inbox().markRunning(added[0]!.id, route);
      expect(await inbox().setReply(added[0]!.id, [])).toMatchObject({
        state: "replied",
        replyChunks: [],
        sentChunks: 0,
      });
      // A reply without a turn (the channel answered a command itself).
      expect(await inbox().setReply(added[1]!.id, ["pong"])).toMatchObject({
        state: "replying",
        attempts: 0,
      });
      expect(ids(await inbox().unfinished())).toEqual([added[1]!.id]);
    });

    it("drops an entry with why from any unfinished state, and it is never resumed", async () => {
      const { added } = await inbox().add([message("1"), message("2"), message("3")]);
      const [pending, running, replying] = ids(added) as [number, number, number];
      await inbox().markRunning(running, route);
      await inbox().markRunning(replying, route);
      await inbox().setReply(replying, ["a", "b"]);
      await inbox().markChunkSent(replying, 0, "sent-1");
      fixture.clock.advance(500);
      await inbox().drop(pending, "pairing request");
      await inbox().drop(running, "agent unavailable");
      await inbox().drop(replying, "the platform refused the second chunk");
      expect(await inbox().unfinished()).toEqual([]);
      expect(await inbox().get(pending)).toMatchObject({
        state: "dropped",
        reason: "pairing request",
        updatedAt: fixture.clock.now(),
      });
      expect(await inbox().get(replying)).toMatchObject({
        state: "dropped",
        sentChunks: 1,
        sentMessageIds: ["sent-1"],
      });
    });

    it("refuses a change that does not apply, and writes nothing for it", async () => {
      const { added } = await inbox().add([message("1"), message("2"), message("3")]);
      const [pending, replying, finished] = ids(added) as [number, number, number];
      await inbox().setReply(replying, ["a", "b", "c"]);
      await inbox().setReply(finished, []);
      const before = await Promise.all(ids(added).map((id) => inbox().get(id)));
      const refusals: [string, () => Promise<unknown>][] = [
        ["chunk of a pending entry", () => inbox().markChunkSent(pending, 0, "x")],
        ["a chunk skipped", () => inbox().markChunkSent(replying, 1, "x")],
        ["a chunk past the end", () => inbox().markChunkSent(replying, 3, "x")],
        ["a second reply", () => inbox().setReply(replying, ["again"])],
        ["a turn for a reply being sent", () => inbox().markRunning(replying, route)],
        ["a turn for a replied entry", () => inbox().markRunning(finished, route)],
        ["a preview for a replied entry", () => inbox().setPreview(finished, "p")],
        ["dropping a replied entry", () => inbox().drop(finished, "late")],
      ];
      for (const [what, refused] of refusals) {
        await expect(refused(), what).rejects.toMatchObject({ code: "OC_ERR_INTERNAL" });
      }
      await inbox().markChunkSent(replying, 0, "sent-1");
      await expect(inbox().markChunkSent(replying, 0, "sent-1 again")).rejects.toMatchObject({
        code: "OC_ERR_INTERNAL",
      });
      await inbox().drop(pending, "refused sender");
      await expect(inbox().drop(pending, "twice")).rejects.toMatchObject({ code: "OC_ERR_INTERNAL" });
      expect(await inbox().get(pending)).toMatchObject({ reason: "refused sender" });
      expect(await inbox().get(replying)).toMatchObject({ sentChunks: 1, sentMessageIds: ["sent-1"] });
      expect(await inbox().get(finished)).toEqual(before[2]);
      for (const unknown of [
        () => inbox().markRunning(9999, route),
        () => inbox().setPreview(9999, "p"),
        () => inbox().setReply(9999, []),
        () => inbox().markChunkSent(9999, 0, "x"),
        () => inbox().drop(9999, "x"),
      ]) {
        await expect(unknown()).rejects.toMatchObject({ code: "OC_ERR_NOT_FOUND" });
      }
    });

    it("counts unfinished entries per channel account", async () => {
      expect(await inbox().depth()).toEqual({});
      const { added } = await inbox().add([
        message("1"),
        message("2"),
        message("3"),
        message("1", { accountId: "work" }),
        message("1", { channel: "discord" }),
      ]);
      const [one, two, three] = ids(added) as [number, number, number];
      await inbox().markRunning(one, route);
      await inbox().setReply(two, ["a"]);
      expect(await inbox().depth()).toEqual({
        "telegram:default": 3,
        "telegram:work": 1,
        "discord:default": 1,
      });
      await inbox().markChunkSent(two, 0, "sent");
      await inbox().drop(three, "no mention");
      expect(await inbox().depth()).toEqual({
        "telegram:default": 1,
        "telegram:work": 1,
        "discord:default": 1,
      });
      await inbox().drop(added[3]!.id, "x");
      expect(await inbox().depth()).toEqual({ "telegram:default": 1, "discord:default": 1 });
    });

    it("prunes finished entries last changed before the cutoff; keeps unfinished and recent ones", async () => {
      const { added } = await inbox().add([
        message("old-replied"),
        message("old-dropped"),
        message("old-pending"),
      ]);
      const [replied, dropped, pending] = ids(added) as [number, number, number];
      await inbox().setReply(replied, []);
      await inbox().drop(dropped, "no mention");
      fixture.clock.advance(10_000);
      const cutoff = fixture.clock.now();
      const recent = (await inbox().add([message("recent")])).added[0]!.id;
      await inbox().drop(recent, "no mention");
      expect(await inbox().prune(cutoff)).toBe(2);
      expect(await inbox().get(replied)).toBeUndefined();
      expect(await inbox().get(dropped)).toBeUndefined();
      expect(await inbox().get(pending)).toMatchObject({ state: "pending" });
      expect(await inbox().get(recent)).toMatchObject({ state: "dropped" });
      expect(await inbox().prune(cutoff)).toBe(0);
      // Forgotten, so a redelivery now is new; ids never go back, pruned or not.
      const again = await inbox().add([message("old-replied"), message("recent")]);
      expect(again.duplicates).toBe(1);
      expect(again.added[0]?.id).toBeGreaterThan(recent);
    });

    it("keeps every entry where it stood across a restart, and dedupes against them", async () => {
      const { added } = await inbox().add([message("1"), message("2"), message("3"), message("4")]);
      const [pending, running, replying, replied] = ids(added) as [number, number, number, number];
      await inbox().markRunning(running, route);
      await inbox().setPreview(running, "preview");
      await inbox().markRunning(replying, route);
      await inbox().setReply(replying, ["a", "b"]);
      await inbox().markChunkSent(replying, 0, "sent-a");
      await inbox().setReply(replied, []);
      const before = await Promise.all(ids(added).map((id) => inbox().get(id)));
      const unfinished = await inbox().unfinished();
      const reopened = await fixture.restart();
      expect(await Promise.all(ids(added).map((id) => reopened.channelInbox.get(id)))).toEqual(before);
      expect(await reopened.channelInbox.unfinished()).toEqual(unfinished);
      expect(ids(unfinished)).toEqual([pending, running, replying]);
      expect(await reopened.channelInbox.add([message("1"), message("4"), message("5")])).toMatchObject({
        duplicates: 2,
        added: [{ message: message("5") }],
      });
      expect(await reopened.channelInbox.markChunkSent(replying, 1, "sent-b")).toMatchObject({
        state: "replied",
        sentMessageIds: ["sent-a", "sent-b"],
      });
    });
  });
}
