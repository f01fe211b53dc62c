import { z } from "zod";
import {
  ACCOUNT_ID_PATTERN,
  accountPolicyShape,
  SenderListSchema,
  StreamingModeSchema,
} from "./channel-policy.js";
import { CredentialSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

/**
 * `channels.discord` as OpenClaw spells it (docs/channels/discord/*.md,
 * docs/gateway/config-channels/community-chat.md): a bot token, the DM policy shared with every
 * channel, and `guilds.<id>` allowlists whose `channels.<id>` map, once written, is itself an
 * allowlist. Keys OpenClaw documents that this gateway does not implement (voice, components,
 * slash commands, presence …) are accepted and ignored with a warning.
 */

/** Discord ids are snowflakes; hand-written configs sometimes give them as numbers. */
const SnowflakeKey = z.string().min(1);

/** Channel-level keys OpenClaw documents that this gateway does not implement. */
const OPENCLAW_ONLY_DISCORD_CHANNEL = [
  "autoThread",
  "ignoreOtherMentions",
  "includeThreadStarter",
  "reactionNotifications",
  "roles",
  "skills",
  "systemPrompt",
  "toolsBySender",
] as const;

/** Guild-level keys OpenClaw documents that this gateway does not implement. */
const OPENCLAW_ONLY_DISCORD_GUILD = [
  "ignoreOtherMentions",
  "presenceEvents",
  "reactionNotifications",
  "roles",
  "slug",
  "toolsBySender",
] as const;

/** Account-level keys OpenClaw documents that this gateway does not implement. */
const OPENCLAW_ONLY_DISCORD_ACCOUNT = [
  "actions",
  "activities",
  "activity",
  "activityType",
  "activityUrl",
  "agentComponents",
  "allowBots",
  "applicationId",
  "autoPresence",
  "botLoopProtection",
  "commands",
  "configWrites",
  "dangerouslyAllowNameMatching",
  "dm",
  "dmHistoryLimit",
  "dms",
  "execApprovals",
  "heartbeatVisibility",
  "historyLimit",
  "intents",
  "joinIntro",
  "maxLinesPerMessage",
  "mediaMaxMb",
  "mentionAliases",
  "pluralkit",
  "proxy",
  "replyToMode",
  "responsePrefix",
  "slashCommand",
  "status",
  "thread",
  "voice",
] as const;

export const DiscordGuildChannelSchema = z.strictObject({
  enabled: z.boolean().optional().describe("false: the bot ignores this channel (and its threads)."),
  allow: z.boolean().optional().describe("OpenClaw's older name for enabled."),
  requireMention: z.boolean().optional().describe("Over the guild's requireMention."),
  users: SenderListSchema.optional().describe(
    'Who may trigger the bot here (user ids, "*": anyone), over the guild\'s users.',
  ),
  ...openclawOnlyKeys(OPENCLAW_ONLY_DISCORD_CHANNEL),
});

export const DiscordGuildSchema = z.strictObject({
  enabled: z.boolean().optional().describe("false: the bot ignores this guild."),
  requireMention: z
    .boolean()
    .optional()
    .describe("Answer only messages that mention the bot (or its role, or reply to it). Default true."),
  users: SenderListSchema.optional().describe(
    "Who may trigger the bot in this guild (user ids). Without it, any member may.",
  ),
  channels: z
    .record(SnowflakeKey, DiscordGuildChannelSchema)
    .optional()
    .describe(
      'Channels by id ("*": the rest). Once written it is an allowlist: a channel not listed is ignored. Threads follow their parent channel.',
    ),
  ...openclawOnlyKeys(OPENCLAW_ONLY_DISCORD_GUILD),
});

const discordAccountShape = {
  ...accountPolicyShape,
  token: CredentialSchema.optional().describe(
    'The bot token (Developer Portal → Bot → Reset Token), as a { "$secret": name } reference (plaintext only in development).',
  ),
  tokenFile: z
    .string()
    .min(1)
    .optional()
    .describe("A regular file (mode 0600, no symlink) holding the bot token."),
  guilds: z
    .record(SnowflakeKey, DiscordGuildSchema)
    .optional()
    .describe(
      'Allowed guilds (servers) by id, "*" for any, and their settings. With groupPolicy allowlist (the default) a guild not listed is ignored.',
    ),
  apiBase: z
    .url()
    .optional()
    .describe(
      "Discord REST base URL, without /v10. Default https://discord.com/api; the gateway URL comes from GET /gateway/bot.",
    ),
  streaming: z
    .union([StreamingModeSchema, z.strictObject({ mode: StreamingModeSchema })])
    .optional()
    .describe(
      "off (default, as OpenClaw): one message per reply chunk; partial: a live preview edited as the reply streams. block and progress stream like partial.",
    ),
  suppressEmbeds: z
    .boolean()
    .optional()
    .describe("Send replies with link previews suppressed. Default true."),
  ...openclawOnlyKeys(OPENCLAW_ONLY_DISCORD_ACCOUNT),
};

export const DiscordAccountSchema = z.strictObject(discordAccountShape);

export const DiscordChannelSchema = z.strictObject({
  ...discordAccountShape,
  defaultAccount: z.string().regex(ACCOUNT_ID_PATTERN).optional(),
  accounts: z.record(z.string().regex(ACCOUNT_ID_PATTERN), DiscordAccountSchema).optional(),
});
