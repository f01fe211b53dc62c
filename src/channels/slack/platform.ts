import type { z } from "zod";
import type { SlackChannelSchema } from "../../config/schema/channels-slack.js";
import {
  type AccountPolicy,
  accountPolicy,
  type GroupSettings,
  type PolicyFields,
} from "../core/account-policy.js";
import { accountLog } from "../core/account-settings.js";
import type { OutboundTarget } from "../core/channel-account.js";
import type {
  ChannelPlatform,
  ChannelPlatformContext,
  PlatformAccountSpec,
} from "../core/channel-platform.js";
import { configuredAccounts, secretNamesOf, settingsFingerprint } from "../core/channel-platform.js";
import { createSlackAccount } from "./index.js";
import type { SlackReplyToMode } from "./slack-account-options.js";

type SlackConfig = z.output<typeof SlackChannelSchema>;
type SlackAccountConfig = NonNullable<SlackConfig["accounts"]>[string];

/**
 * `channels.slack` as OpenClaw's: the root is the `default` account (when it has a bot token)
 * and the defaults of `accounts.<id>`; Socket Mode unless `mode` is "http".
 */
export const slackPlatform: ChannelPlatform = {
  id: "slack",
  accounts(config, context) {
    return configuredAccounts<SlackAccountConfig, SlackConfig>(
      config as SlackConfig,
      (root) => root.botToken !== undefined,
    ).map(({ accountId, root, account }) => accountSpec(accountId, root, account, context));
  },
  target: slackTarget,
};

/**
 * `message send --target`: `channel:C123`, `user:U123` (a DM), `<@U123>`, or a bare id whose
 * first letter says what it is (U/W users, D DM channels, C/G channels).
 */
export function slackTarget(raw: string, threadId?: string): OutboundTarget {
  const value = raw.trim().replace(/^slack:/i, "");
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(value);
  const [kind, id] = mention
    ? (["direct", mention[1]!] as const)
    : /^user:/i.test(value)
      ? (["direct", value.slice(5)] as const)
      : /^channel:/i.test(value)
        ? (["channel", value.slice(8)] as const)
        : /^[UWD]/.test(value)
          ? (["direct", value] as const)
          : (["channel", value.replace(/^#/, "")] as const);
  return { peer: { kind, id: id.trim() }, ...(threadId !== undefined ? { threadId } : {}) };
}

function accountSpec(
  accountId: string,
  root: SlackAccountConfig,
  account: SlackAccountConfig | undefined,
  context: ChannelPlatformContext,
): PlatformAccountSpec {
  const settings = { ...root, ...account };
  const path = account ? `channels.slack.accounts.${accountId}` : "channels.slack";
  const streaming =
    typeof settings.streaming === "object"
      ? (settings.streaming.mode ?? "progress")
      : (settings.streaming ?? "progress");
  return {
    accountId,
    policy: slackPolicy(root, account),
    preview: streaming !== "off",
    fingerprint: settingsFingerprint(settings, ["botToken", "appToken", "signingSecret"]),
    secrets: secretNamesOf(settings.botToken, settings.appToken, settings.signingSecret),
    // Events API over HTTP arrives on whichever gateway Slack reaches; Socket Mode needs one holder.
    needsLeader: (settings.mode ?? "socket") === "socket",
    create() {
      const botToken = context.credential(settings.botToken, `${path}.botToken`);
      if (botToken === undefined) throw new Error(`${path} has no botToken`);
      const mode = settings.mode ?? "socket";
      const appToken =
        mode === "socket" ? context.credential(settings.appToken, `${path}.appToken`) : undefined;
      const signingSecret =
        mode === "http" ? context.credential(settings.signingSecret, `${path}.signingSecret`) : undefined;
      const byChannel: Record<string, SlackReplyToMode> = {};
      for (const [id, entry] of Object.entries(settings.channels ?? {}))
        if (entry.replyToMode !== undefined) byChannel[id] = entry.replyToMode;
      return createSlackAccount({
        accountId,
        botToken,
        mode,
        ...(appToken !== undefined ? { appToken } : {}),
        ...(signingSecret !== undefined ? { signingSecret } : {}),
        events: {
          ...(settings.webhookHost !== undefined ? { host: settings.webhookHost } : {}),
          ...(settings.webhookPort !== undefined ? { port: settings.webhookPort } : {}),
          ...(settings.webhookPath !== undefined ? { path: settings.webhookPath } : {}),
        },
        ...(settings.apiUrl !== undefined ? { apiUrl: settings.apiUrl } : {}),
        threading: {
          ...(settings.replyToMode !== undefined ? { replyToMode: settings.replyToMode } : {}),
          ...(settings.replyToModeByChatType !== undefined
            ? { byChatType: settings.replyToModeByChatType }
            : {}),
          byChannel,
        },
        groupDms: {
          enabled: settings.dm?.groupEnabled ?? false,
          ...(settings.dm?.groupChannels !== undefined ? { channels: settings.dm.groupChannels } : {}),
        },
        ...(settings.textChunkLimit !== undefined ? { textChunkLimit: settings.textChunkLimit } : {}),
        ...(settings.unfurlLinks !== undefined ? { unfurlLinks: settings.unfurlLinks } : {}),
        ...(settings.unfurlMedia !== undefined ? { unfurlMedia: settings.unfurlMedia } : {}),
        log: accountLog(context, "slack", accountId),
      });
    },
  };
}

/**
 * OpenClaw's Slack access rules in the core's terms. `channels.<id>` is the channel allowlist:
 * a listed channel lets any member in unless its `users` list says who; `groupPolicy: "open"`
 * admits unlisted channels too, "disabled" none. The legacy `dm.*` keys fill in for `dmPolicy`
 * and `allowFrom`, and `dm.enabled: false` turns DMs off.
 */
export function slackPolicy(
  root: SlackAccountConfig,
  account: SlackAccountConfig | undefined,
): AccountPolicy {
  const policy = accountPolicy(policyFields(root), account ? policyFields(account) : undefined);
  if (policy.groupPolicy === "disabled") return { ...policy, groups: undefined };
  if (policy.groupPolicy === "open" && policy.groups && !Object.hasOwn(policy.groups, "*"))
    return { ...policy, groups: { ...policy.groups, "*": { groupPolicy: "open" } } };
  return policy;
}

function policyFields(fields: SlackAccountConfig): PolicyFields {
  const dmPolicy = fields.dm?.enabled === false ? "disabled" : (fields.dmPolicy ?? fields.dm?.policy);
  const allowFrom = fields.allowFrom ?? fields.dm?.allowFrom;
  let groups: Record<string, GroupSettings> | undefined = fields.groups;
  if (fields.channels) {
    groups = { ...groups };
    for (const [id, entry] of Object.entries(fields.channels)) {
      groups[id] = {
        ...(entry.enabled !== undefined ? { enabled: entry.enabled } : {}),
        ...(entry.requireMention !== undefined ? { requireMention: entry.requireMention } : {}),
        ...(entry.users !== undefined
          ? { groupPolicy: "allowlist", allowFrom: entry.users }
          : { groupPolicy: "open" }),
      };
    }
  }
  return {
    ...(fields.enabled !== undefined ? { enabled: fields.enabled } : {}),
    ...(dmPolicy !== undefined ? { dmPolicy } : {}),
    ...(allowFrom !== undefined ? { allowFrom } : {}),
    ...(fields.groupPolicy !== undefined ? { groupPolicy: fields.groupPolicy } : {}),
    ...(fields.groupAllowFrom !== undefined ? { groupAllowFrom: fields.groupAllowFrom } : {}),
    ...(groups !== undefined ? { groups } : {}),
    ...(fields.requireMention !== undefined ? { requireMention: fields.requireMention } : {}),
  };
}
