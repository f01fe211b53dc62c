import { z } from "zod";
import {
  ACCOUNT_ID_PATTERN,
  accountPolicyShape,
  DmPolicySchema,
  SenderListSchema,
  StreamingModeSchema,
} from "./channel-policy.js";
import { CredentialSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

/**
 * `channels.slack` as OpenClaw spells it (docs/channels/slack/*.md, config-channels/workplace-chat.md):
 * Socket Mode (`botToken` + `appToken`, the default) or HTTP Request URLs (`botToken` +
 * `signingSecret`, Slack posting to a local listener), the channel allowlist under
 * `channels.<id>`, DMs under `dmPolicy`/`allowFrom` (or the legacy `dm.*`).
 */

export const SlackReplyToModeSchema = z
  .enum(["off", "first", "all", "batched"])
  .describe(
    "Whether a reply to a top-level message opens a thread under it: off (OpenClaw's default: top-level), first/all/batched (in a thread). A message already in a thread is always answered in it.",
  );

/** Keys of a `channels.slack.channels.<id>` entry OpenClaw has and this gateway does not. */
const OPENCLAW_ONLY_SLACK_CHANNEL = [
  "allowBots",
  "botLoopProtection",
  "ignoreOtherMentions",
  "presenceEvents",
  "skills",
  "systemPrompt",
  "tools",
  "toolsBySender",
] as const;

/** `channels.slack.*` keys OpenClaw documents that this gateway does not implement. */
export const OPENCLAW_ONLY_SLACK = [
  "actions",
  "allowBots",
  "botLoopProtection",
  "commands",
  "configWrites",
  "dangerouslyAllowNameMatching",
  "dmHistoryLimit",
  "dms",
  "execApprovals",
  "historyLimit",
  "implicitMentions",
  "joinIntro",
  "mediaMaxMb",
  "postAs",
  "presenceEvents",
  "reactionAllowlist",
  "reactionNotifications",
  "relay",
  "slashCommand",
  "socketMode",
  "thread",
  "typingReaction",
  "userToken",
  "userTokenReadOnly",
] as const;

export const SlackChannelEntrySchema = z.strictObject({
  enabled: z.boolean().optional().describe("false: the channel is ignored."),
  requireMention: z.boolean().optional().describe("Answer only messages that mention the bot. Default true."),
  users: SenderListSchema.optional().describe(
    "Slack user ids allowed to trigger the bot here; default anyone.",
  ),
  replyToMode: SlackReplyToModeSchema.optional(),
  ...openclawOnlyKeys(OPENCLAW_ONLY_SLACK_CHANNEL),
});

const slackAccountShape = {
  ...accountPolicyShape,
  mode: z
    .enum(["socket", "http"])
    .optional()
    .describe(
      "socket (default): Socket Mode over an outbound WebSocket; http: Slack posts events to webhookPath.",
    ),
  botToken: CredentialSchema.optional().describe(
    'The Bot User OAuth Token (xoxb-…), as a { "$secret": name } reference (plaintext only in development).',
  ),
  appToken: CredentialSchema.optional().describe(
    "The App-Level Token (xapp-…) with connections:write; Socket Mode only.",
  ),
  signingSecret: CredentialSchema.optional().describe(
    "The app's Signing Secret: every Events API request's X-Slack-Signature is checked with it (http mode).",
  ),
  apiUrl: z
    .url()
    .optional()
    .describe("Slack Web API base URL. Default https://slack.com/api/ (tests point it at a fake)."),
  webhookPath: z
    .string()
    .startsWith("/")
    .optional()
    .describe("Events API path (http mode). Default /slack/events."),
  webhookHost: z
    .string()
    .min(1)
    .optional()
    .describe("Address of the local Events API listener. Default 127.0.0.1."),
  webhookPort: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe("Port of the local Events API listener. Default 8788."),
  dm: z
    .strictObject({
      enabled: z.boolean().optional().describe("false: DMs are ignored (dmPolicy disabled)."),
      policy: DmPolicySchema.optional().describe("Legacy spelling of dmPolicy."),
      allowFrom: SenderListSchema.optional().describe("Legacy spelling of allowFrom."),
      groupEnabled: z.boolean().optional().describe("Answer group DMs (MPIMs). Default false."),
      groupChannels: z.array(z.string().min(1)).optional().describe("Group DM ids answered; default all."),
      ...openclawOnlyKeys(["replyToMode"]),
    })
    .optional(),
  channels: z
    .record(z.string().min(1), SlackChannelEntrySchema)
    .optional()
    .describe('Allowed channels by id (C…/G…), "*" for every channel, and their settings.'),
  replyToMode: SlackReplyToModeSchema.optional(),
  replyToModeByChatType: z
    .strictObject({
      direct: SlackReplyToModeSchema.optional(),
      group: SlackReplyToModeSchema.optional(),
      channel: SlackReplyToModeSchema.optional(),
    })
    .optional(),
  streaming: z
    .union([
      StreamingModeSchema,
      z.strictObject({
        mode: StreamingModeSchema.optional(),
        ...openclawOnlyKeys(["chunkMode", "nativeTransport", "preview", "block", "progress"]),
      }),
    ])
    .optional()
    .describe("off: one final message; partial/block/progress: a live preview edited with chat.update."),
  unfurlLinks: z.boolean().optional().describe("Let Slack expand links in replies. Default false."),
  unfurlMedia: z.boolean().optional(),
  ...openclawOnlyKeys(OPENCLAW_ONLY_SLACK),
};

export const SlackAccountSchema = z.strictObject(slackAccountShape);

export const SlackChannelSchema = z.strictObject({
  ...slackAccountShape,
  defaultAccount: z.string().regex(ACCOUNT_ID_PATTERN).optional(),
  accounts: z.record(z.string().regex(ACCOUNT_ID_PATTERN), SlackAccountSchema).optional(),
});
