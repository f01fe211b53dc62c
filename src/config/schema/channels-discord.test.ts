import { describe, expect, it } from "vitest";
import { parseConfigText } from "../load.js";
import { configIssuesOf } from "../testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";

/** OpenClaw's documented `channels.discord` block (docs/gateway/config-channels/community-chat.md), abridged. */
const OPENCLAW_DISCORD = `{
  channels: {
    discord: {
      enabled: true,
      token: "your-bot-token",
      mediaMaxMb: 100,
      allowBots: false,
      actions: { reactions: true, moderation: false },
      replyToMode: "off",
      dmPolicy: "pairing",
      allowFrom: ["1234567890", "123456789012345678"],
      dm: { enabled: true, groupEnabled: false },
      guilds: {
        "123456789012345678": {
          slug: "friends-of-openclaw",
          requireMention: false,
          ignoreOtherMentions: true,
          users: ["987654321098765432"],
          channels: {
            general: { enabled: true },
            help: { enabled: true, requireMention: true, systemPrompt: "Short answers only." },
          },
        },
      },
      historyLimit: 20,
      textChunkLimit: 2000,
      suppressEmbeds: true,
      streaming: { mode: "partial" },
      maxLinesPerMessage: 17,
      threadBindings: { enabled: true, idleHours: 24 },
      voice: { enabled: true },
    },
  },
}`;

const issuesOf = (text: string) => configIssuesOf(text, FILE);

describe("channels.discord", () => {
  it("loads OpenClaw's documented block, warning once for each key not implemented here", () => {
    const { config, warnings } = parseConfigText(OPENCLAW_DISCORD, FILE);
    expect(warnings.map((warning) => warning.path)).toEqual([
      "channels.discord.mediaMaxMb",
      "channels.discord.allowBots",
      "channels.discord.actions",
      "channels.discord.replyToMode",
      "channels.discord.dm",
      "channels.discord.guilds.123456789012345678.slug",
      "channels.discord.guilds.123456789012345678.ignoreOtherMentions",
      "channels.discord.guilds.123456789012345678.channels.help.systemPrompt",
      "channels.discord.historyLimit",
      "channels.discord.maxLinesPerMessage",
      "channels.discord.voice",
    ]);
    const discord = config.channels.discord;
    expect(discord?.guilds?.["123456789012345678"]).toEqual({
      requireMention: false,
      users: ["987654321098765432"],
      channels: { general: { enabled: true }, help: { enabled: true, requireMention: true } },
    });
    expect(discord?.streaming).toEqual({ mode: "partial" });
  });

  it("still catches a typo with a did-you-mean, and a bad value with its path", () => {
    const issues = issuesOf(
      `{ channels: { discord: { token: "t", guilds: { "1": { requireMentoin: true } }, dmPolicy: "everyone" } } }`,
    );
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(["channels.discord.guilds.1.requireMentoin", "channels.discord.dmPolicy"]),
    );
  });

  it("refuses a plaintext token in production mode", () => {
    const issues = issuesOf(
      `{ gateway: { mode: "production" }, channels: { discord: { token: "MTIz.abc.def" } } }`,
    );
    expect(
      issues.some((issue) => issue.path === "channels.discord.token" && /plaintext/.test(issue.message)),
    ).toBe(true);
  });

  it("takes OpenClaw's SecretRef for the token, as its setup guide writes it", () => {
    const { config } = parseConfigText(
      `{ channels: { discord: { enabled: true, token: { source: "env", provider: "default", id: "DISCORD_BOT_TOKEN" } } } }`,
      FILE,
    );
    const token = config.channels.discord?.token as { $secret: string };
    expect(token.$secret).toEqual(expect.any(String));
    expect((config.externalSecrets as Record<string, unknown>)[token.$secret]).toEqual({
      source: "env",
      key: "DISCORD_BOT_TOKEN",
    });
  });
});
