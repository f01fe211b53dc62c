import type { WebClient } from "@slack/web-api";
import type { OutboundTarget } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { markdownToSlackMrkdwn } from "./markdown-to-slack-mrkdwn.js";
import { describeSlackFailure, isAuthFailure, toSendError } from "./slack-api-failure.js";

/** The conversation a message id (`<channel>:<ts>`) names, and its `ts`. */
export function parseSlackMessageId(messageId: string): { channel: string; ts: string } | undefined {
  const at = messageId.indexOf(":");
  if (at <= 0) return undefined;
  const channel = messageId.slice(0, at);
  const ts = messageId.slice(at + 1);
  return /^[A-Z0-9]+$/.test(channel) && /^\d+\.\d+$/.test(ts) ? { channel, ts } : undefined;
}

/**
 * Posting, editing and opening threads through the Web API. A DM's peer is the user (that is
 * who pairing and allow lists name), but Slack posts to the IM conversation: its id is learned
 * from the user's messages, else asked of `conversations.open` once and kept.
 */
export class SlackOutbound {
  readonly #client: WebClient;
  readonly #unfurl: { unfurl_links: boolean; unfurl_media?: boolean };
  readonly #imChannels = new Map<string, string>();

  /** Slack refused the bot token mid-run (revoked, app uninstalled): the account must reconnect. */
  onAuthFailure: ((error: string) => void) | undefined;

  constructor(client: WebClient, options: { unfurlLinks?: boolean; unfurlMedia?: boolean }) {
    this.#client = client;
    this.#unfurl = {
      unfurl_links: options.unfurlLinks ?? false,
      ...(options.unfurlMedia !== undefined ? { unfurl_media: options.unfurlMedia } : {}),
    };
  }

  /** A user's IM channel, seen on one of their messages. */
  rememberDm(userId: string, channel: string): void {
    if (this.#imChannels.size > 10_000) this.#imChannels.clear();
    this.#imChannels.set(userId, channel);
  }

  async send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    const channel = await this.#conversationOf(target);
    const posted = await this.#call("chat.postMessage", () =>
      this.#client.chat.postMessage({
        channel,
        text: markdownToSlackMrkdwn(markdown),
        ...(target.threadId !== undefined ? { thread_ts: target.threadId } : {}),
        ...this.#unfurl,
      }),
    );
    return { messageId: `${posted.channel ?? channel}:${posted.ts}` };
  }

  async edit(_target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    const message = parseSlackMessageId(messageId);
    if (!message)
      throw new ChannelSendError(`slack chat.update: "${messageId}" is not a Slack message id`, {
        retryable: false,
      });
    await this.#call("chat.update", () =>
      this.#client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: markdownToSlackMrkdwn(markdown),
      }),
    );
  }

  /** A thread is a top-level message and the replies under it: the intro is its root. */
  async createThread(target: OutboundTarget, intro: string): Promise<{ threadId: string }> {
    const channel = await this.#conversationOf(target);
    const posted = await this.#call("chat.postMessage", () =>
      this.#client.chat.postMessage({ channel, text: markdownToSlackMrkdwn(intro), ...this.#unfurl }),
    );
    return { threadId: posted.ts };
  }

  async #conversationOf(target: OutboundTarget): Promise<string> {
    if (target.peer.kind !== "direct") return target.peer.id;
    const userId = target.peer.id;
    // A DM channel id given as the target (`message send --target D0123`) is used as is.
    if (userId.startsWith("D")) return userId;
    const known = this.#imChannels.get(userId);
    if (known) return known;
    const opened = await this.#call("conversations.open", () =>
      this.#client.conversations.open({ users: userId }),
    );
    const channel = (opened as { channel?: { id?: string } }).channel?.id;
    if (!channel)
      throw new ChannelSendError("slack conversations.open returned no channel", { retryable: true });
    this.rememberDm(userId, channel);
    return channel;
  }

  async #call<T extends { ok?: boolean }>(
    method: string,
    request: () => Promise<T>,
  ): Promise<T & { ts: string; channel?: string }> {
    let answer: T;
    try {
      answer = await request();
    } catch (error) {
      const failure = describeSlackFailure(method, error);
      if (isAuthFailure(failure) && failure.kind === "refused" && this.onAuthFailure) {
        this.onAuthFailure(failure.error);
        // Kept for the account's return (a rotated token): the reply waits rather than is dropped.
        throw new ChannelSendError(`slack ${method} refused: ${failure.error}`, {
          retryable: true,
          hint: "Slack refused the bot token: reinstall the app or rotate channels.slack.botToken, then `openclaw secrets reload`",
        });
      }
      throw toSendError(failure);
    }
    return answer as T & { ts: string; channel?: string };
  }
}
