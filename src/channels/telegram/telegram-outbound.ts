import type { Api } from "grammy";
import type { OutboundTarget } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { markdownToTelegramHtml } from "./markdown-to-telegram-html.js";
import type { TelegramLog } from "./telegram-account-options.js";
import {
  describeTelegramFailure,
  isCannotParseEntities,
  isNotModified,
  type TelegramApiFailure,
  toSendError,
} from "./telegram-api-failure.js";

/**
 * Sending, editing and "typing…" through the Bot API. Text goes as HTML rendered from the
 * agent's Markdown; should Telegram still refuse the markup, the same message goes again as the
 * plain Markdown, because a reply with visible asterisks beats a reply that never arrives.
 */
export class TelegramOutbound {
  readonly #api: Api;
  readonly #token: string;
  readonly #log: TelegramLog;

  constructor(api: Api, token: string, log: TelegramLog) {
    this.#api = api;
    this.#token = token;
    this.#log = log;
  }

  async send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    const chatId = target.peer.id;
    const replyTo = target.replyToMessageId ? telegramMessageNumber(target.replyToMessageId) : undefined;
    const threadId = sendThreadId(target.threadId);
    const common = {
      link_preview_options: { is_disabled: true },
      ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
      ...(replyTo !== undefined
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
    };
    const sent = await this.#withPlainFallback(
      "sendMessage",
      () =>
        this.#api.sendMessage(chatId, markdownToTelegramHtml(markdown), { ...common, parse_mode: "HTML" }),
      () => this.#api.sendMessage(chatId, markdown, common),
    );
    return { messageId: `${sent.chat.id}:${sent.message_id}` };
  }

  async edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    const chatId = target.peer.id;
    const number = telegramMessageNumber(messageId);
    if (number === undefined) {
      throw new ChannelSendError(`telegram editMessageText: "${messageId}" is not a Telegram message id`, {
        retryable: false,
      });
    }
    const common = { link_preview_options: { is_disabled: true } };
    try {
      await this.#withPlainFallback(
        "editMessageText",
        () =>
          this.#api.editMessageText(chatId, number, markdownToTelegramHtml(markdown), {
            ...common,
            parse_mode: "HTML",
          }),
        () => this.#api.editMessageText(chatId, number, markdown, common),
      );
    } catch (error) {
      // A live preview edited with the text it already shows: nothing to do, not a failure.
      if (error instanceof NotModified) return;
      throw error;
    }
  }

  async typing(target: OutboundTarget): Promise<void> {
    // Unlike sends, typing in the General topic (1) needs its thread id to show.
    const threadId = target.threadId !== undefined ? Number(target.threadId) : undefined;
    try {
      await this.#api.sendChatAction(target.peer.id, "typing", {
        ...(threadId !== undefined && Number.isInteger(threadId) ? { message_thread_id: threadId } : {}),
      });
    } catch (error) {
      throw toSendError(describeTelegramFailure("sendChatAction", error, this.#token));
    }
  }

  async #withPlainFallback<T>(
    method: string,
    asHtml: () => Promise<T>,
    asPlain: () => Promise<T>,
  ): Promise<T> {
    let failure: TelegramApiFailure;
    try {
      return await asHtml();
    } catch (error) {
      failure = describeTelegramFailure(method, error, this.#token);
    }
    if (isNotModified(failure)) throw new NotModified();
    if (!isCannotParseEntities(failure)) throw toSendError(failure);
    this.#log("warn", `telegram refused the rendered HTML; ${method} again as plain text`, {
      description: failure.kind === "refused" ? failure.description : undefined,
    });
    try {
      return await asPlain();
    } catch (error) {
      const plainFailure = describeTelegramFailure(method, error, this.#token);
      if (isNotModified(plainFailure)) throw new NotModified();
      throw toSendError(plainFailure);
    }
  }
}

class NotModified extends Error {}

/** `"<chat>:<id>"` (the inbound and outbound message id) or a bare number: the message number. */
export function telegramMessageNumber(messageId: string): number | undefined {
  const number = Number(messageId.slice(messageId.lastIndexOf(":") + 1));
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/**
 * The `message_thread_id` of a send. The General topic (1) is left out: Telegram refuses a send
 * to it with "message thread not found", and a send without one lands there anyway.
 */
function sendThreadId(threadId: string | undefined): number | undefined {
  if (threadId === undefined) return undefined;
  const number = Number(threadId);
  return Number.isSafeInteger(number) && number > 1 ? number : undefined;
}
