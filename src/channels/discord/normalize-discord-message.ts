import {
  type APIAttachment,
  type APIUser,
  ChannelType,
  type GatewayMessageCreateDispatchData,
  MessageType,
} from "@discordjs/core";
import type { InboundAttachment, InboundMessage } from "../core/channel-account.js";

export const DISCORD_CHANNEL = "discord";

/** Who the bot is, and what of its guilds a mention can name. */
export interface DiscordBotContext {
  accountId: string;
  botId: string;
  botUsername: string;
  /** The bot's roles in a guild (its managed integration role, and any given to it). */
  botRoleIds(guildId: string): ReadonlySet<string>;
}

const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** What a user writes: plain messages and replies. Joins, pins, boosts and the like are not. */
const USER_MESSAGE_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

export function isThreadChannel(channelType: number | undefined): boolean {
  return channelType !== undefined && THREAD_TYPES.has(channelType);
}

/**
 * A MESSAGE_CREATE as the core's InboundMessage, or undefined when it is not for the agent at
 * all: the bot's own messages and other bots' (OpenClaw's `allowBots` defaults to false, and two
 * bots answering each other loop), webhooks, system messages, group DMs (OpenClaw ignores them
 * by default) and messages with nothing in them. `parentId` is the parent channel of a thread,
 * which the event does not carry: the caller looks it up.
 */
export function normalizeDiscordMessage(
  message: GatewayMessageCreateDispatchData,
  bot: DiscordBotContext,
  parentId?: string,
): InboundMessage | undefined {
  if (message.author.bot || message.author.id === bot.botId || message.webhook_id !== undefined)
    return undefined;
  if (!USER_MESSAGE_TYPES.has(message.type)) return undefined;
  if (message.channel_type === ChannelType.GroupDM) return undefined;
  const attachments = (message.attachments ?? []).map(toAttachment);
  const text = readableText(message.content ?? "", message.mentions ?? [], bot);
  if (text.trim() === "" && attachments.length === 0) return undefined;
  const guildId = message.guild_id;
  const inThread = guildId !== undefined && isThreadChannel(message.channel_type);
  const author = message.author;
  const name = message.member?.nick ?? author.global_name ?? undefined;
  return {
    channel: DISCORD_CHANNEL,
    accountId: bot.accountId,
    messageId: `${message.channel_id}:${message.id}`,
    peer:
      guildId === undefined
        ? { kind: "direct", id: author.id }
        : { kind: "channel", id: inThread && parentId !== undefined ? parentId : message.channel_id },
    ...(inThread ? { threadId: message.channel_id } : {}),
    sender: {
      id: author.id,
      ...(name ? { name } : {}),
      username: author.username,
    },
    mentioned: guildId === undefined || mentionsBot(message, bot),
    text,
    attachments,
    sentAt: Date.parse(message.timestamp) || Date.now(),
    ...(guildId !== undefined ? { routing: { guildId } } : {}),
  };
}

/**
 * Whether a guild message addresses the bot: it names the bot (`<@id>`), one of its roles
 * (`<@&role>`), or replies to one of its messages. `@everyone` does not count: it addresses the
 * room, and answering it would make the bot chime in on every announcement.
 */
export function mentionsBot(message: GatewayMessageCreateDispatchData, bot: DiscordBotContext): boolean {
  if ((message.mentions ?? []).some((user) => user.id === bot.botId)) return true;
  if (new RegExp(`<@!?${bot.botId}>`).test(message.content ?? "")) return true;
  if (message.guild_id !== undefined) {
    const roles = bot.botRoleIds(message.guild_id);
    if ((message.mention_roles ?? []).some((role) => roles.has(role))) return true;
  }
  return message.referenced_message?.author?.id === bot.botId;
}

/** `<@123>` as `@name`: the agent reads who is meant, not a snowflake. */
function readableText(content: string, mentions: readonly APIUser[], bot: DiscordBotContext): string {
  const names = new Map<string, string>(mentions.map((user) => [user.id, user.global_name ?? user.username]));
  names.set(bot.botId, bot.botUsername);
  return content.replace(/<@!?(\d+)>/g, (whole, id: string) => {
    const name = names.get(id);
    return name ? `@${name}` : whole;
  });
}

function toAttachment(attachment: APIAttachment): InboundAttachment {
  const type = attachment.content_type ?? "";
  const kind: InboundAttachment["kind"] = type.startsWith("image/")
    ? "photo"
    : type.startsWith("audio/")
      ? "audio"
      : type.startsWith("video/")
        ? "video"
        : "document";
  return {
    kind,
    name: attachment.filename,
    ...(attachment.content_type ? { mimeType: attachment.content_type } : {}),
    sizeBytes: attachment.size,
    platformId: attachment.id,
  };
}
