import {
  AllowedMentionsTypes,
  type API,
  ChannelType,
  MessageFlags,
  ThreadAutoArchiveDuration,
} from "@discordjs/core";
import { DiscordAPIError } from "@discordjs/rest";
import type { OutboundTarget } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { chunkDiscordMarkdown, DISCORD_MESSAGE_LIMIT } from "./chunk-discord-markdown.js";
import { describeDiscordFailure, toDiscordSendError } from "./discord-api-failure.js";

/** Discord's limit on a thread's name. */
const THREAD_NAME_LIMIT = 100;
/** "A thread has already been created for this message." */
const THREAD_ALREADY_CREATED = 160004;

/**
 * Sending, editing, "typing…" and threads over Discord's REST API. Replies go as the agent's
 * Markdown (Discord renders it). Mentions in a reply ping users only: an `@everyone` or a role
 * the agent was talked into writing stays text. A DM is addressed by the user's id (the peer);
 * its channel is the one the user wrote from, or one opened for it.
 */
export class DiscordOutbound {
  readonly #api: API;
  readonly #suppressEmbeds: boolean;
  /** User id → DM channel id. */
  readonly #dmChannels = new Map<string, string>();

  constructor(api: API, options: { suppressEmbeds: boolean }) {
    this.#api = api;
    this.#suppressEmbeds = options.suppressEmbeds;
  }

  /** A DM arrived in `channelId` from `userId`: replies go there without opening one. */
  rememberDmChannel(userId: string, channelId: string): void {
    this.#dmChannels.set(userId, channelId);
  }

  async send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    const channelId = await this.#channelOf(target);
    const reference = replyReference(target, channelId);
    const sent = await this.#call("send", () =>
      this.#api.channels.createMessage(channelId, {
        content: fitMessage(markdown),
        allowed_mentions: { parse: [AllowedMentionsTypes.User], replied_user: true },
        ...(this.#suppressEmbeds ? { flags: MessageFlags.SuppressEmbeds } : {}),
        ...(reference ? { message_reference: { message_id: reference, fail_if_not_exists: false } } : {}),
      }),
    );
    return { messageId: `${sent.channel_id}:${sent.id}` };
  }

  async edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    const [channelPart, messagePart] = messageId.includes(":")
      ? [messageId.slice(0, messageId.lastIndexOf(":")), messageId.slice(messageId.lastIndexOf(":") + 1)]
      : [await this.#channelOf(target), messageId];
    await this.#call("edit", () =>
      this.#api.channels.editMessage(channelPart, messagePart, {
        content: fitMessage(markdown),
        allowed_mentions: { parse: [AllowedMentionsTypes.User] },
      }),
    );
  }

  async typing(target: OutboundTarget): Promise<void> {
    const channelId = await this.#channelOf(target);
    await this.#call("typing", () => this.#api.channels.showTyping(channelId));
  }

  /**
   * A public thread in the target's channel: started from the message being answered when
   * there is one (the thread hangs under it, as Discord users expect), else standalone. `intro`
   * is posted in it. A target already in a thread opens a sibling in the parent channel.
   */
  async createThread(target: OutboundTarget, name: string, intro: string): Promise<{ threadId: string }> {
    if (target.peer.kind === "direct") {
      throw new ChannelSendError("discord threads live in guild channels, not in DMs", { retryable: false });
    }
    const channelId = target.peer.id;
    const title = threadName(name);
    const from = target.threadId === undefined ? replyReference(target, channelId) : undefined;
    const standalone = () =>
      this.#api.channels.createThread(channelId, {
        name: title,
        type: ChannelType.PublicThread,
        auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
      });
    const thread = await this.#call("thread create", async () => {
      if (from === undefined) return standalone();
      try {
        return await this.#api.channels.createThread(
          channelId,
          { name: title, auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
          from,
        );
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === THREAD_ALREADY_CREATED) return standalone();
        throw error;
      }
    });
    const inThread: OutboundTarget = { peer: target.peer, threadId: thread.id };
    for (const piece of chunkDiscordMarkdown(intro)) await this.send(inThread, piece);
    return { threadId: thread.id };
  }

  async #channelOf(target: OutboundTarget): Promise<string> {
    if (target.threadId !== undefined) return target.threadId;
    if (target.peer.kind !== "direct") return target.peer.id;
    const userId = target.peer.id;
    const known = this.#dmChannels.get(userId);
    if (known !== undefined) return known;
    const channel = await this.#call("DM open", () => this.#api.users.createDM(userId));
    this.#dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof ChannelSendError) throw error;
      throw toDiscordSendError(describeDiscordFailure(what, error));
    }
  }
}

/** The Discord message a reply answers, when it is in the channel the reply goes to. */
function replyReference(target: OutboundTarget, channelId: string): string | undefined {
  const reply = target.replyToMessageId;
  if (reply === undefined) return undefined;
  const cut = reply.lastIndexOf(":");
  if (cut < 0) return reply;
  return reply.slice(0, cut) === channelId ? reply.slice(cut + 1) : undefined;
}

function threadName(name: string): string {
  const line =
    name
      .split("\n")
      .find((part) => part.trim() !== "")
      ?.trim() ?? "";
  const title = line === "" ? "Thread" : line;
  return title.length <= THREAD_NAME_LIMIT ? title : `${title.slice(0, THREAD_NAME_LIMIT - 1)}…`;
}

/**
 * Reply chunks already fit (`chunk`); what may not is the core's live preview, which shows up to
 * 3500 characters of a streaming reply: Discord would refuse every edit of it, so it shows the
 * start and an ellipsis until the final chunks replace it.
 */
function fitMessage(markdown: string): string {
  return markdown.length <= DISCORD_MESSAGE_LIMIT
    ? markdown
    : `${markdown.slice(0, DISCORD_MESSAGE_LIMIT - 1)}…`;
}
