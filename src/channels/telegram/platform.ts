import type { TelegramChannelSchema } from "../../config/index.js";
import { accountPolicy, type PolicyFields } from "../core/account-policy.js";
import { accountLog, credentialOrFile } from "../core/account-settings.js";
import type {
  ChannelPlatform,
  ChannelPlatformContext,
  PlatformAccountSpec,
} from "../core/channel-platform.js";
import { configuredAccounts, secretNamesOf, settingsFingerprint } from "../core/channel-platform.js";
import { createTelegramAccount } from "./index.js";

type TelegramConfig = import("zod").output<typeof TelegramChannelSchema>;
type TelegramAccountConfig = NonNullable<TelegramConfig["accounts"]>[string];

/**
 * `channels.telegram` as OpenClaw's: the root is the `default` account (when it has a token)
 * and the defaults of `accounts.<id>`; webhook mode when `webhookUrl` and `webhookSecret` are
 * both set, long polling otherwise.
 */
export const telegramPlatform: ChannelPlatform = {
  id: "telegram",
  accounts(config, context) {
    return configuredAccounts<TelegramAccountConfig, TelegramConfig>(
      config as TelegramConfig,
      (root) => root.botToken !== undefined || root.tokenFile !== undefined,
    ).map(({ accountId, root, account }) => accountSpec(accountId, root, account, context));
  },
  target(raw, threadId) {
    const chatId = raw.replace(/^(telegram|tg):/i, "").trim();
    return {
      peer: { kind: chatId.startsWith("-") ? "group" : "direct", id: chatId },
      ...(threadId !== undefined ? { threadId } : {}),
    };
  },
};

function accountSpec(
  accountId: string,
  root: TelegramAccountConfig,
  account: TelegramAccountConfig | undefined,
  context: ChannelPlatformContext,
): PlatformAccountSpec {
  const settings = { ...root, ...account };
  const path = account ? `channels.telegram.accounts.${accountId}` : "channels.telegram";
  const streaming =
    typeof settings.streaming === "object" ? settings.streaming.mode : (settings.streaming ?? "partial");
  return {
    accountId,
    policy: accountPolicy(root as PolicyFields, account as PolicyFields | undefined),
    preview: streaming !== "off",
    fingerprint: settingsFingerprint(settings, ["botToken", "webhookSecret"]),
    secrets: secretNamesOf(settings.botToken, settings.webhookSecret),
    // A webhook receives on whichever gateway Telegram reaches; getUpdates allows one poller.
    needsLeader: settings.webhookUrl === undefined || settings.webhookSecret === undefined,
    create() {
      const token = credentialOrFile(context, settings.botToken, settings.tokenFile, `${path}.botToken`);
      if (token === undefined) throw new Error(`${path} has no botToken or tokenFile`);
      const webhookSecret = context.credential(settings.webhookSecret, `${path}.webhookSecret`);
      const webhook =
        settings.webhookUrl !== undefined && webhookSecret !== undefined
          ? {
              url: settings.webhookUrl,
              secret: webhookSecret,
              ...(settings.webhookPath !== undefined ? { path: settings.webhookPath } : {}),
              ...(settings.webhookHost !== undefined ? { host: settings.webhookHost } : {}),
              ...(settings.webhookPort !== undefined ? { port: settings.webhookPort } : {}),
            }
          : undefined;
      return createTelegramAccount({
        accountId,
        token,
        mode: webhook ? "webhook" : "polling",
        ...(webhook ? { webhook } : {}),
        ...(settings.apiRoot !== undefined ? { apiRoot: settings.apiRoot } : {}),
        ...(settings.pollTimeoutSeconds !== undefined
          ? { pollTimeoutSeconds: settings.pollTimeoutSeconds }
          : {}),
        ...(settings.textChunkLimit !== undefined ? { textChunkLimit: settings.textChunkLimit } : {}),
        log: accountLog(context, "telegram", accountId),
      });
    },
  };
}
