import { describe, expect, it } from "vitest";
import { decideAccess } from "../core/access-decision.js";
import type { InboundMessage } from "../core/channel-account.js";
import { type DiscordAccountConfig, discordAccountPolicy } from "./discord-policy.js";

const GUILD = "100";
const GENERAL = "201";
const HELP = "202";
const OTHER = "203";
const OWNER = "900";
const STRANGER = "901";

function message(channelId: string, senderId: string, mentioned: boolean, guildId = GUILD): InboundMessage {
  return {
    channel: "discord",
    accountId: "default",
    messageId: `${channelId}:1`,
    peer: { kind: "channel", id: channelId },
    sender: { id: senderId },
    mentioned,
    text: "hi",
    attachments: [],
    sentAt: 0,
    routing: { guildId },
  };
}

const decide = (config: DiscordAccountConfig, input: InboundMessage, account?: DiscordAccountConfig) =>
  decideAccess(input, discordAccountPolicy(config, account), false);

describe("discord access policy", () => {
  it("answers no guild by default (allowlist, no guilds)", () => {
    expect(decide({}, message(GENERAL, OWNER, true))).toMatchObject({ action: "drop" });
  });

  it("lets any channel of a listed guild without a channels map in, mention-gated, any member", () => {
    const config = { guilds: { [GUILD]: {} } };
    expect(decide(config, message(GENERAL, STRANGER, true))).toEqual({ action: "run" });
    expect(decide(config, message(GENERAL, STRANGER, false))).toEqual({
      action: "drop",
      reason: "no mention",
    });
    expect(decide(config, message(GENERAL, OWNER, true, "999"))).toMatchObject({ action: "drop" });
  });

  it("turns a channels map into an allowlist, a channel's settings over its guild's", () => {
    const config: DiscordAccountConfig = {
      guilds: {
        [GUILD]: {
          requireMention: true,
          channels: {
            [GENERAL]: { enabled: true },
            [HELP]: { requireMention: false },
            [OTHER]: { allow: false },
          },
        },
      },
    };
    expect(decide(config, message(GENERAL, OWNER, true))).toEqual({ action: "run" });
    expect(decide(config, message(GENERAL, OWNER, false))).toMatchObject({ reason: "no mention" });
    expect(decide(config, message(HELP, OWNER, false))).toEqual({ action: "run" });
    expect(decide(config, message(OTHER, OWNER, true))).toMatchObject({ action: "drop" });
    expect(decide(config, message("204", OWNER, true))).toMatchObject({ action: "drop" });
  });

  it('keeps the rest of the guild reachable with a "*" channel entry', () => {
    const config: DiscordAccountConfig = {
      guilds: { [GUILD]: { channels: { [HELP]: { requireMention: false }, "*": { requireMention: true } } } },
    };
    expect(decide(config, message("204", OWNER, true))).toEqual({ action: "run" });
    expect(decide(config, message("204", OWNER, false))).toMatchObject({ reason: "no mention" });
    expect(decide(config, message(HELP, OWNER, false))).toEqual({ action: "run" });
  });

  it("limits senders with users, a channel's list over the guild's", () => {
    const config: DiscordAccountConfig = {
      guilds: { [GUILD]: { users: [OWNER], channels: { [HELP]: { users: ["*"] }, "*": {} } } },
    };
    expect(decide(config, message(GENERAL, OWNER, true))).toEqual({ action: "run" });
    expect(decide(config, message(GENERAL, STRANGER, true))).toMatchObject({ action: "drop" });
    expect(decide(config, message(HELP, STRANGER, true))).toEqual({ action: "run" });
  });

  it("ignores a disabled guild, channels and all", () => {
    const config: DiscordAccountConfig = {
      guilds: { [GUILD]: { enabled: false, channels: { [GENERAL]: { enabled: true } } } },
    };
    expect(decide(config, message(GENERAL, OWNER, true))).toMatchObject({ action: "drop" });
    expect(decide(config, message(HELP, OWNER, true))).toMatchObject({ action: "drop" });
  });

  it("lets unlisted guilds in under groupPolicy open, and none under disabled", () => {
    const open: DiscordAccountConfig = { groupPolicy: "open", guilds: { [GUILD]: { users: [OWNER] } } };
    expect(decide(open, message(GENERAL, STRANGER, true, "999"))).toEqual({ action: "run" });
    expect(decide(open, message(GENERAL, STRANGER, true))).toMatchObject({ action: "drop" });
    const disabled: DiscordAccountConfig = { groupPolicy: "disabled", guilds: { [GUILD]: {} } };
    expect(decide(disabled, message(GENERAL, OWNER, true))).toEqual({
      action: "drop",
      reason: "groupPolicy is disabled",
    });
  });

  it("gives an account its own guild map over the root's", () => {
    const root: DiscordAccountConfig = { guilds: { [GUILD]: {} } };
    const account: DiscordAccountConfig = { guilds: { "555": {} } };
    expect(decide(root, message(GENERAL, OWNER, true), account)).toMatchObject({ action: "drop" });
    expect(decide(root, message(GENERAL, OWNER, true, "555"), account)).toEqual({ action: "run" });
  });
});
