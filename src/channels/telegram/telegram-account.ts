import { Api } from "grammy";
import type { Update } from "grammy/types";
import { OpenClawError } from "../../errors.js";
import { AccountStartGuard } from "../core/account-start-guard.js";
import type { ChannelAccount, ChannelIdentity, InboundSink } from "../core/channel-account.js";
import { channelConnectError } from "../core/channel-errors.js";
import { chunkTelegramMarkdown } from "./chunk-telegram-markdown.js";
import {
  normalizeTelegramUpdate,
  RECEIVED_UPDATE_KINDS,
  type TelegramBotIdentity,
} from "./normalize-telegram-update.js";
import {
  DEFAULT_API_ROOT,
  DEFAULT_POLL_TIMEOUT_SECONDS,
  DEFAULT_TEXT_CHUNK_LIMIT,
  DEFAULT_WEBHOOK_HOST,
  DEFAULT_WEBHOOK_PATH,
  DEFAULT_WEBHOOK_PORT,
  type TelegramAccountOptions,
  type TelegramWebhookOptions,
} from "./telegram-account-options.js";
import { describeTelegramFailure, toConnectError } from "./telegram-api-failure.js";
import { TelegramLongPolling } from "./telegram-long-polling.js";
import { TelegramOutbound } from "./telegram-outbound.js";
import { TelegramWebhookListener } from "./telegram-webhook-listener.js";
import { WEBHOOK_SECRET_PATTERN } from "./webhook-secret.js";

export interface TelegramAccount extends ChannelAccount {
  /** Where the webhook listener is bound, once started in webhook mode (port 0 picks one). */
  webhookAddress(): { host: string; port: number } | undefined;
}

/** One Telegram bot, received by long polling or by webhook. */
export function createTelegramAccount(options: TelegramAccountOptions): TelegramAccount {
  const { accountId, token } = options;
  const log = options.log ?? (() => {});
  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
  const textChunkLimit = options.textChunkLimit ?? DEFAULT_TEXT_CHUNK_LIMIT;
  const webhook = options.mode === "webhook" ? checkedWebhook(accountId, options.webhook) : undefined;
  const api = new Api(token, {
    apiRoot: (options.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, ""),
    // Above the long poll's own timeout, so only a hung connection hits it.
    timeoutSeconds: pollTimeoutSeconds + 30,
  });
  const outbound = new TelegramOutbound(api, token, log);
  let polling: TelegramLongPolling | undefined;
  let listener: TelegramWebhookListener | undefined;
  const guard = new AccountStartGuard();

  const call = async <T>(method: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toConnectError(describeTelegramFailure(method, error, token), accountId);
    }
  };

  async function connect(sink: InboundSink): Promise<ChannelIdentity> {
    const me = await call("getMe", () => api.getMe());
    const bot: TelegramBotIdentity = { id: me.id, username: me.username };
    const normalize = (update: Update) => normalizeTelegramUpdate(update, { accountId, bot });
    if (webhook) {
      const receiver = new TelegramWebhookListener({
        host: webhook.host ?? DEFAULT_WEBHOOK_HOST,
        port: webhook.port ?? DEFAULT_WEBHOOK_PORT,
        path: webhook.path ?? DEFAULT_WEBHOOK_PATH,
        secret: webhook.secret,
        log,
        receive: async (update) => {
          const message = normalize(update);
          if (message) await sink.deliver([message]);
        },
      });
      try {
        const address = await receiver.listen().catch((error: unknown) => {
          const code = (error as { code?: unknown }).code;
          throw channelConnectError(
            "telegram",
            accountId,
            `webhook listener cannot listen (${String(code)})`,
          );
        });
        await call("setWebhook", () =>
          api.setWebhook(webhook.url, {
            secret_token: webhook.secret,
            allowed_updates: [...RECEIVED_UPDATE_KINDS],
          }),
        );
        log("info", "telegram webhook listening", { accountId, ...address });
      } catch (error) {
        await receiver.close();
        throw error;
      }
      listener = receiver;
    } else {
      // getUpdates is refused while a webhook is set (409), so polling clears it first.
      await call("deleteWebhook", () => api.deleteWebhook());
      polling = new TelegramLongPolling({
        api,
        token,
        accountId,
        timeoutSeconds: pollTimeoutSeconds,
        sink,
        normalize,
        log,
      });
      polling.start();
      log("info", "telegram long polling started", { accountId });
    }
    const name = [me.first_name, me.last_name].filter(Boolean).join(" ");
    return {
      id: String(me.id),
      ...(me.username ? { username: me.username } : {}),
      ...(name ? { name } : {}),
    };
  }

  return {
    channel: "telegram",
    accountId,
    // No threads to open: sessions_spawn { thread: true } binds the chat (or forum topic) itself.
    capabilities: { edit: true, typing: true, threads: "conversation" },

    async start(sink: InboundSink): Promise<ChannelIdentity> {
      if (guard.starting || polling || listener)
        throw channelConnectError("telegram", accountId, "already started");
      return guard.start(() => connect(sink));
    },

    async stop(): Promise<void> {
      await guard.settled();
      const [stoppingPolling, stoppingListener] = [polling, listener];
      polling = undefined;
      listener = undefined;
      // The webhook stays set: Telegram holds updates for it until this account is back.
      await Promise.all([stoppingPolling?.stop(), stoppingListener?.close()]);
    },

    chunk: (markdown) => chunkTelegramMarkdown(markdown, textChunkLimit),
    send: (target, markdown) => outbound.send(target, markdown),
    edit: (target, messageId, markdown) => outbound.edit(target, messageId, markdown),
    typing: (target) => outbound.typing(target),
    webhookAddress: () => listener?.address(),
  };
}

function checkedWebhook(
  accountId: string,
  webhook: TelegramWebhookOptions | undefined,
): TelegramWebhookOptions {
  const where = `channels.telegram${accountId === "default" ? "" : `.accounts.${accountId}`}`;
  if (!webhook?.url) {
    throw new OpenClawError(
      "OC_ERR_CONFIG_INVALID",
      `telegram account "${accountId}" is in webhook mode without a URL`,
      {
        hint: `set ${where}.webhookUrl to the public HTTPS URL that reaches the listener`,
      },
    );
  }
  // Without a secret anyone who finds the URL could post forged updates.
  if (!WEBHOOK_SECRET_PATTERN.test(webhook.secret ?? "")) {
    throw new OpenClawError(
      "OC_ERR_CONFIG_INVALID",
      `telegram account "${accountId}" needs a webhook secret of 1-256 characters A-Z, a-z, 0-9, _ or -`,
      { hint: `set ${where}.webhookSecret (for example \`openssl rand -hex 32\`)` },
    );
  }
  return webhook;
}
