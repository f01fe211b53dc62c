import type { Message, MessageEntity, Update } from "grammy/types";
import type { InboundAttachment, InboundMessage, PeerKind } from "../core/channel-account.js";

/** Who the bot is: what a mention in a group has to name. */
export interface TelegramBotIdentity {
  id: number;
  username: string | undefined;
}

export interface NormalizeContext {
  accountId: string;
  bot: TelegramBotIdentity;
}

/** The update kinds the account asks Telegram for (`allowed_updates`) and normalizes. */
export const RECEIVED_UPDATE_KINDS = ["message", "channel_post"] as const;

/**
 * One Telegram update as an `InboundMessage`, or undefined for what the gateway does not take
 * (edits, reactions, membership changes): the caller still moves its offset past those.
 */
export function normalizeTelegramUpdate(
  update: Update,
  context: NormalizeContext,
): InboundMessage | undefined {
  const message = update.message ?? update.channel_post;
  if (!message) return undefined;
  const peerKind = peerKindOf(message.chat.type);
  const threadId =
    message.is_topic_message && message.message_thread_id !== undefined
      ? String(message.message_thread_id)
      : undefined;
  return {
    channel: "telegram",
    accountId: context.accountId,
    messageId: `${message.chat.id}:${message.message_id}`,
    peer: { kind: peerKind, id: String(message.chat.id) },
    ...(threadId !== undefined ? { threadId } : {}),
    sender: senderOf(message),
    mentioned: peerKind === "direct" || mentionsBot(message, context.bot),
    text: message.text ?? message.caption ?? "",
    attachments: attachmentsOf(message),
    sentAt: message.date * 1000,
  };
}

function peerKindOf(chatType: Message["chat"]["type"]): PeerKind {
  if (chatType === "private") return "direct";
  if (chatType === "channel") return "channel";
  return "group";
}

function senderOf(message: Message): InboundMessage["sender"] {
  const from = message.from;
  // A channel post has no `from`: the channel itself speaks.
  if (!from) {
    const chat = message.chat;
    return {
      id: String(chat.id),
      ...("title" in chat && chat.title ? { name: chat.title } : {}),
      ...("username" in chat && chat.username ? { username: chat.username } : {}),
    };
  }
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ");
  return {
    id: String(from.id),
    ...(name ? { name } : {}),
    ...(from.username ? { username: from.username } : {}),
  };
}

function mentionsBot(message: Message, bot: TelegramBotIdentity): boolean {
  const text = message.text ?? message.caption ?? "";
  const entities: readonly MessageEntity[] = message.entities ?? message.caption_entities ?? [];
  const handle = bot.username ? `@${bot.username.toLowerCase()}` : undefined;
  for (const entity of entities) {
    // Offsets are UTF-16 code units, as JavaScript strings are.
    const named = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === "mention" && handle && named === handle) return true;
    if (entity.type === "bot_command" && handle && named.endsWith(handle)) return true;
    if (entity.type === "text_mention" && entity.user.id === bot.id) return true;
  }
  const replied = message.reply_to_message;
  // In a forum topic every message "replies" to the topic's first message; only a real reply
  // to the bot counts, not every message in a topic the bot happened to open.
  const topicRoot = message.is_topic_message && replied?.message_id === message.message_thread_id;
  return replied?.from?.id === bot.id && !topicRoot;
}

function attachmentsOf(message: Message): InboundAttachment[] {
  const attachments: InboundAttachment[] = [];
  const add = (
    kind: InboundAttachment["kind"],
    file: { file_id: string; file_size?: number; file_name?: string; mime_type?: string },
  ) => {
    attachments.push({
      kind,
      ...(file.file_name ? { name: file.file_name } : {}),
      ...(file.mime_type ? { mimeType: file.mime_type } : {}),
      ...(file.file_size !== undefined ? { sizeBytes: file.file_size } : {}),
      platformId: file.file_id,
    });
  };
  if (message.photo && message.photo.length > 0) {
    // Telegram sends every size it made; the largest is the original.
    const largest = message.photo.reduce((best, size) =>
      size.width * size.height > best.width * best.height ? size : best,
    );
    add("photo", largest);
  }
  if (message.document) add("document", message.document);
  if (message.audio) add("audio", message.audio);
  if (message.voice) add("voice", message.voice);
  if (message.video) add("video", message.video);
  if (message.sticker) {
    const sticker = message.sticker;
    const mimeType = sticker.is_animated
      ? "application/x-tgsticker"
      : sticker.is_video
        ? "video/webm"
        : "image/webp";
    add("sticker", { ...sticker, mime_type: mimeType });
  }
  return attachments;
}
