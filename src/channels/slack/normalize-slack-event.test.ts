import { describe, expect, it } from "vitest";
import type { PeerKind } from "../core/channel-account.js";
import {
  type NormalizeContext,
  normalizeSlackEvent,
  type SlackMessageEvent,
} from "./normalize-slack-event.js";

const BOT = "U0BOT";
const context = (overrides: Partial<NormalizeContext> = {}): NormalizeContext => ({
  accountId: "default",
  botUserId: BOT,
  threading: {},
  groupDms: { enabled: false },
  kinds: new Map<string, PeerKind>(),
  ...overrides,
});
const callback = (event: Partial<SlackMessageEvent>) => ({
  type: "event_callback",
  team_id: "T1",
  event: {
    type: "message",
    channel: "C1",
    channel_type: "channel",
    user: "U1",
    text: "hi",
    ts: "1700000000.000100",
    ...event,
  },
});

describe("normalizeSlackEvent", () => {
  it("makes a channel message a channel peer, id <channel>:<ts>, team in routing", () => {
    expect(normalizeSlackEvent(callback({ text: "a &lt;b&gt; &amp; c" }), context())).toEqual({
      channel: "slack",
      accountId: "default",
      messageId: "C1:1700000000.000100",
      peer: { kind: "channel", id: "C1" },
      sender: { id: "U1" },
      mentioned: false,
      text: "a <b> & c",
      attachments: [],
      sentAt: 1_700_000_000_000,
      routing: { teamId: "T1" },
    });
  });

  it("makes a DM a direct peer named by the user, always addressed", () => {
    const message = normalizeSlackEvent(callback({ channel: "D1", channel_type: "im" }), context());
    expect(message).toMatchObject({
      peer: { kind: "direct", id: "U1" },
      messageId: "D1:1700000000.000100",
      mentioned: true,
    });
    expect(message?.threadId).toBeUndefined();
  });

  it("counts app_mention and <@BOT> as mentions, not another user's", () => {
    expect(normalizeSlackEvent(callback({ text: `<@${BOT}> status` }), context())?.mentioned).toBe(true);
    expect(normalizeSlackEvent(callback({ text: `<@${BOT}|openclaw> status` }), context())?.mentioned).toBe(
      true,
    );
    expect(normalizeSlackEvent(callback({ text: "<@U2> status" }), context())?.mentioned).toBe(false);
    const mention = normalizeSlackEvent(
      callback({ type: "app_mention", channel_type: undefined }),
      context(),
    );
    expect(mention).toMatchObject({ mentioned: true, peer: { kind: "channel", id: "C1" } });
  });

  it("ignores bots, the bot itself, edits and other subtypes; keeps file shares", () => {
    expect(normalizeSlackEvent(callback({ bot_id: "B1" }), context())).toBeUndefined();
    expect(normalizeSlackEvent(callback({ user: BOT }), context())).toBeUndefined();
    for (const subtype of ["message_changed", "message_deleted", "channel_join", "bot_message"])
      expect(normalizeSlackEvent(callback({ subtype }), context()), subtype).toBeUndefined();
    const file = normalizeSlackEvent(
      callback({
        subtype: "file_share",
        files: [{ id: "F1", name: "a.png", mimetype: "image/png", size: 3 }],
      }),
      context(),
    );
    expect(file?.attachments).toEqual([
      { kind: "photo", name: "a.png", mimeType: "image/png", sizeBytes: 3, platformId: "F1" },
    ]);
    expect(
      normalizeSlackEvent({ type: "event_callback", event: { type: "reaction_added" } }, context()),
    ).toBeUndefined();
  });

  it("threads: a reply in a thread carries the root's thread_ts", () => {
    const reply = normalizeSlackEvent(
      callback({ ts: "1700000001.000200", thread_ts: "1700000000.000100" }),
      context(),
    );
    expect(reply).toMatchObject({ threadId: "1700000000.000100", messageId: "C1:1700000001.000200" });
    // A thread root's own event has thread_ts === ts: it is top-level.
    const root = normalizeSlackEvent(callback({ thread_ts: "1700000000.000100" }), context());
    expect(root?.threadId).toBeUndefined();
  });

  it("threads: a top-level channel message opens a thread of its own when replyToMode is not off", () => {
    const all = context({ threading: { replyToMode: "all" } });
    expect(normalizeSlackEvent(callback({}), all)?.threadId).toBe("1700000000.000100");
    const offHere = context({ threading: { replyToMode: "all", byChannel: { C1: "off" } } });
    expect(normalizeSlackEvent(callback({}), offHere)?.threadId).toBeUndefined();
    const byType = context({ threading: { byChatType: { channel: "first" } } });
    expect(normalizeSlackEvent(callback({}), byType)?.threadId).toBe("1700000000.000100");
    // DMs stay off-thread at the top level.
    expect(
      normalizeSlackEvent(callback({ channel: "D1", channel_type: "im" }), all)?.threadId,
    ).toBeUndefined();
  });

  it("group DMs: ignored unless dm.groupEnabled, then a group peer", () => {
    const mpim = callback({ channel: "G1", channel_type: "mpim" });
    expect(normalizeSlackEvent(mpim, context())).toBeUndefined();
    expect(normalizeSlackEvent(mpim, context({ groupDms: { enabled: true } }))?.peer).toEqual({
      kind: "group",
      id: "G1",
    });
    expect(
      normalizeSlackEvent(mpim, context({ groupDms: { enabled: true, channels: ["G2"] } })),
    ).toBeUndefined();
  });

  it("a private channel is a channel; an app_mention there keeps the kind its messages showed", () => {
    const kinds = new Map<string, PeerKind>();
    expect(
      normalizeSlackEvent(callback({ channel: "G9", channel_type: "group" }), context({ kinds }))?.peer.kind,
    ).toBe("channel");
    kinds.set("G8", "group");
    const mention = normalizeSlackEvent(
      callback({ type: "app_mention", channel: "G8", channel_type: undefined }),
      context({ kinds, groupDms: { enabled: true } }),
    );
    expect(mention?.peer).toEqual({ kind: "group", id: "G8" });
  });
});
