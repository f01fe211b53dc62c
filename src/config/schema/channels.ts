import { z } from "zod";
import {
  ACCOUNT_ID_PATTERN,
  accountPolicyShape,
  DmPolicySchema,
  GroupPolicySchema,
  StreamingModeSchema,
  ThreadBindingsSchema,
} from "./channel-policy.js";
import { DiscordChannelSchema } from "./channels-discord.js";
import { SlackChannelSchema } from "./channels-slack.js";
import { CredentialSchema } from "./credentials.js";

export { DmPolicySchema, GroupPolicySchema };

/**
 * `channels.<id>`, `bindings[]` and `session` as OpenClaw spells them, so that an OpenClaw
 * user's `channels.telegram` block works here. A channel's root holds the default account's
 * settings and the defaults of its named `accounts`; an account's own policy wins.
 */

const telegramAccountShape = {
  ...accountPolicyShape,
  botToken: CredentialSchema.optional().describe(
    'The bot token from BotFather, as a { "$secret": name } reference (plaintext only in development).',
  ),
  tokenFile: z
    .string()
    .min(1)
    .optional()
    .describe("A regular file (mode 0600, no symlink) holding the bot token."),
  apiRoot: z.url().optional().describe("Bot API root (a self-hosted Bot API server); without /bot<token>."),
  webhookUrl: z
    .url()
    .optional()
    .describe("Public URL Telegram posts updates to; set with webhookSecret to use webhook mode."),
  webhookSecret: CredentialSchema.optional().describe(
    "Checked in X-Telegram-Bot-Api-Secret-Token on every webhook request.",
  ),
  webhookPath: z.string().startsWith("/").optional().describe("Default /telegram-webhook."),
  webhookHost: z
    .string()
    .min(1)
    .optional()
    .describe("Address of the local webhook listener. Default 127.0.0.1."),
  webhookPort: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe("Port of the local webhook listener. Default 8787."),
  streaming: z
    .union([StreamingModeSchema, z.strictObject({ mode: StreamingModeSchema })])
    .optional()
    .describe(
      "off: one final message; partial (default here): a live preview edited as the reply streams. block and progress stream like partial.",
    ),
  pollTimeoutSeconds: z
    .number()
    .int()
    .min(0)
    .max(50)
    .optional()
    .describe("getUpdates long-poll timeout. Default 30."),
};

export const TelegramAccountSchema = z.strictObject(telegramAccountShape);

export const TelegramChannelSchema = z.strictObject({
  ...telegramAccountShape,
  defaultAccount: z.string().regex(ACCOUNT_ID_PATTERN).optional(),
  accounts: z.record(z.string().regex(ACCOUNT_ID_PATTERN), TelegramAccountSchema).optional(),
});

const ircAccountShape = {
  ...accountPolicyShape,
  host: z.string().min(1).optional().describe("IRC server host."),
  port: z.number().int().min(1).max(65_535).optional().describe("Default 6697 with tls, else 6667."),
  tls: z.boolean().optional().describe("Connect with TLS. Default true."),
  nick: z.string().min(1).max(30).optional(),
  username: z.string().min(1).optional(),
  realname: z.string().min(1).optional(),
  password: CredentialSchema.optional().describe("Server password (PASS)."),
  passwordFile: z
    .string()
    .min(1)
    .optional()
    .describe("A regular file (mode 0600) holding the server password."),
  nickserv: z
    .strictObject({ password: CredentialSchema.optional(), passwordFile: z.string().min(1).optional() })
    .optional()
    .describe("IDENTIFY to NickServ after connecting."),
  sasl: z
    .strictObject({ account: z.string().min(1), password: CredentialSchema })
    .optional()
    .describe("SASL PLAIN login."),
  channels: z
    .array(z.string().regex(/^[#&][^\s,]+$/))
    .optional()
    .describe('Channels to join, like "#ops".'),
};

export const IrcAccountSchema = z.strictObject(ircAccountShape);

export const IrcChannelSchema = z.strictObject({
  ...ircAccountShape,
  defaultAccount: z.string().regex(ACCOUNT_ID_PATTERN).optional(),
  accounts: z.record(z.string().regex(ACCOUNT_ID_PATTERN), IrcAccountSchema).optional(),
});

export const ChannelsSchema = z
  .strictObject({
    telegram: TelegramChannelSchema.optional(),
    irc: IrcChannelSchema.optional(),
    slack: SlackChannelSchema.optional(),
    discord: DiscordChannelSchema.optional(),
  })
  .describe(
    "Messaging channels: a message to the bot reaches an agent, the reply comes back in the same chat.",
  );

const PeerKindSchema = z.enum(["direct", "group", "channel"]);

export const BindingSchema = z.strictObject({
  agentId: z.string().min(1),
  match: z.strictObject({
    channel: z.string().min(1),
    accountId: z.string().min(1).optional().describe('An account id, or "*" for any.'),
    peer: z
      .strictObject({ kind: PeerKindSchema, id: z.union([z.string().min(1), z.number()]).transform(String) })
      .optional(),
    guildId: z.string().min(1).optional(),
    teamId: z.string().min(1).optional(),
  }),
  session: z
    .strictObject({
      dmScope: z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]).optional(),
      groupScope: z.enum(["per-group", "main"]).optional(),
    })
    .optional(),
});

export const BindingsSchema = z
  .array(BindingSchema)
  .describe(
    "Which agent answers which channel, account or peer; the most specific match wins (peer, then guild/team, then account, then channel).",
  );

export const SessionSchema = z
  .strictObject({
    dmScope: z
      .enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"])
      .prefault("main")
      .describe(
        "How channel DMs map to sessions: main (default: one session per agent), per-peer, per-channel-peer (recommended with several senders), per-account-channel-peer.",
      ),
    groupScope: z.enum(["per-group", "main"]).prefault("per-group"),
    threadBindings: ThreadBindingsSchema.prefault({}),
  })
  .describe("OpenClaw's session routing for channel messages.");
