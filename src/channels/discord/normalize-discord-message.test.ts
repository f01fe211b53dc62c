import type { GatewayMessageCreateDispatchData } from "@discordjs/core";
import { describe, expect, it } from "vitest";
import { type DiscordBotContext, mentionsBot, normalizeDiscordMessage } from "./normalize-discord-message.js";

const BOT = "1300000000000000001";
const ROLE = "1500000000000000009";
const bot: DiscordBotContext = {
  accountId: "default",
  botId: BOT,
  botUsername: "claw",
  botRoleIds: (guildId) => new Set(guildId === "100" ? [ROLE] : []),
};
const alice = { id: "900", username: "alice", global_name: "Alice", discriminator: "0", avatar: null };

function event(overrides: Partial<GatewayMessageCreateDispatchData> = {}): GatewayMessageCreateDispatchData {
  return {
    id: "3000",
    channel_id: "201",
    guild_id: "100",
    channel_type: 0,
    author: alice,
    content: "hello",
    timestamp: "2026-01-02T03:04:05.000Z",
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    ...overrides,
  } as GatewayMessageCreateDispatchData;
}

describe("discord message normalization", () => {
  it("makes a guild message a channel peer with the guild as routing", () => {
    expect(normalizeDiscordMessage(event({ member: { nick: "Ali" } as never }), bot)).toEqual({
      channel: "discord",
      accountId: "default",
      messageId: "201:3000",
      peer: { kind: "channel", id: "201" },
      sender: { id: "900", name: "Ali", username: "alice" },
      mentioned: false,
      text: "hello",
      attachments: [],
      sentAt: Date.parse("2026-01-02T03:04:05.000Z"),
      routing: { guildId: "100" },
    });
  });

  it("makes a DM a direct peer keyed by the user, without routing", () => {
    const message = normalizeDiscordMessage(
      event({ guild_id: undefined, channel_id: "777", channel_type: 1 }),
      bot,
    );
    expect(message).toMatchObject({ peer: { kind: "direct", id: "900" }, messageId: "777:3000" });
    expect(message?.routing).toBeUndefined();
  });

  it("files a thread message under its parent, the thread as threadId", () => {
    const message = normalizeDiscordMessage(event({ channel_id: "555", channel_type: 11 }), bot, "201");
    expect(message).toMatchObject({
      peer: { kind: "channel", id: "201" },
      threadId: "555",
      messageId: "555:3000",
    });
  });

  it("ignores the bot itself, other bots, webhooks, system messages, group DMs and empty messages", () => {
    const self = { ...alice, id: BOT, username: "claw", bot: true };
    expect(normalizeDiscordMessage(event({ author: self }), bot)).toBeUndefined();
    expect(normalizeDiscordMessage(event({ author: { ...alice, bot: true } }), bot)).toBeUndefined();
    expect(normalizeDiscordMessage(event({ webhook_id: "1" }), bot)).toBeUndefined();
    expect(normalizeDiscordMessage(event({ type: 7 }), bot)).toBeUndefined();
    expect(normalizeDiscordMessage(event({ guild_id: undefined, channel_type: 3 }), bot)).toBeUndefined();
    expect(normalizeDiscordMessage(event({ content: "  " }), bot)).toBeUndefined();
  });

  it("keeps attachments as names and kinds", () => {
    const message = normalizeDiscordMessage(
      event({
        content: "",
        attachments: [
          { id: "1", filename: "a.png", size: 10, url: "u", proxy_url: "p", content_type: "image/png" },
        ],
      }),
      bot,
    );
    expect(message?.attachments).toEqual([
      { kind: "photo", name: "a.png", mimeType: "image/png", sizeBytes: 10, platformId: "1" },
    ]);
  });

  it("writes mentions as @names", () => {
    const message = normalizeDiscordMessage(
      event({ content: `<@${BOT}> ask <@!900> and <@42>`, mentions: [{ ...alice }] as never }),
      bot,
    );
    expect(message?.text).toBe("@claw ask @Alice and <@42>");
  });
});

describe("discord mention detection", () => {
  it("counts the bot's user, its role and a reply to it, not @everyone or another role", () => {
    expect(mentionsBot(event({ mentions: [{ ...alice, id: BOT }] as never }), bot)).toBe(true);
    expect(mentionsBot(event({ content: `hey <@${BOT}>` }), bot)).toBe(true);
    expect(mentionsBot(event({ mention_roles: [ROLE] }), bot)).toBe(true);
    expect(mentionsBot(event({ mention_roles: [ROLE], guild_id: "101" }), bot)).toBe(false);
    expect(mentionsBot(event({ referenced_message: { author: { id: BOT } } } as never), bot)).toBe(true);
    expect(mentionsBot(event({ mention_everyone: true, content: "@everyone" }), bot)).toBe(false);
    expect(mentionsBot(event({ mention_roles: ["42"] }), bot)).toBe(false);
  });
});
