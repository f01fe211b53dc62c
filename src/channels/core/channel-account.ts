/**
 * The one shape every messaging platform is reduced to. A platform folder (`channels/<name>/`)
 * implements `ChannelAccount` for one configured account (one bot token, one IRC nick); the
 * core (inbox, access, routing, dispatch) only ever sees these types and never imports a
 * platform, as the model layer never imports a provider.
 */

/** Who a conversation is with: a person (`direct`), a group chat, or a broadcast channel/room. */
export type PeerKind = "direct" | "group" | "channel";

export interface Peer {
  kind: PeerKind;
  /** The platform's id of the conversation: a Telegram chat id, an IRC `#channel` or nick. */
  id: string;
}

/** What is known of an attachment without downloading it. */
export interface InboundAttachment {
  kind: "photo" | "document" | "audio" | "voice" | "video" | "sticker" | "other";
  name?: string;
  mimeType?: string;
  sizeBytes?: number;
  /** The platform's handle to fetch it later (Telegram `file_id`). */
  platformId?: string;
}

/** One message received on a channel account, normalized. */
export interface InboundMessage {
  channel: string;
  accountId: string;
  /**
   * Unique within the channel account and stable across redeliveries: the inbox dedupes on it
   * (Telegram: `<chat id>:<message_id>`; IRC, which has no ids: the gateway's own).
   */
  messageId: string;
  peer: Peer;
  /** A forum topic (Telegram `message_thread_id`) or a thread (Slack, Discord). */
  threadId?: string;
  sender: { id: string; name?: string; username?: string };
  /** Whether the message addresses the bot (an @mention, a reply to it, its nick first). */
  mentioned: boolean;
  text: string;
  attachments: InboundAttachment[];
  /** The platform's timestamp, ms since the epoch. */
  sentAt: number;
  /** Where the conversation sits, for `bindings[].match.guildId` / `teamId` (Discord, Slack). */
  routing?: RoutingContext;
}

/** What a message carries beyond the normalized shape, for platforms with guilds and teams. */
export interface RoutingContext {
  guildId?: string;
  teamId?: string;
}

/** Where a reply goes. */
export interface OutboundTarget {
  peer: Peer;
  threadId?: string;
  /** The platform message this one answers, when the platform threads replies. */
  replyToMessageId?: string;
}

/** The account as the platform knows it, once connected. */
export interface ChannelIdentity {
  id: string;
  /** `@username` on Telegram, the nick on IRC: what a mention names. */
  username?: string;
  name?: string;
}

/** What a platform folder is handed to report what it receives. */
export interface InboundSink {
  /**
   * Stores messages durably and resolves once they are: only then may the account commit its
   * cursor (Telegram's `getUpdates` offset). It throws when they cannot be stored (a full disk):
   * the account must not advance, so the platform delivers them again.
   */
  deliver(messages: readonly InboundMessage[]): Promise<void>;
  /**
   * The account failed while running (the connection is gone for good, the token was revoked,
   * the library threw): the channel's supervisor stops it, marks it degraded, restarts it with
   * back-off.
   */
  fail(error: unknown): void;
  /** A transient problem the account recovers from by itself (a poll that timed out). */
  warn(message: string, details?: Record<string, unknown>): void;
}

export interface ChannelCapabilities {
  /** `edit` works: a streamed reply can be a live preview edited in place. */
  edit: boolean;
  /** `typing` shows something. */
  typing: boolean;
  /**
   * How a conversation is bound to a subagent session (`sessions_spawn { thread: true }`):
   * `child`: `createThread` opens a new thread under it (Discord, Slack); `conversation`: the
   * current conversation itself is bound (Telegram: the chat or forum topic). Absent: no binding.
   */
  threads?: "child" | "conversation";
}

/**
 * One configured account of a platform. `send` and `edit` take Markdown, one chunk of what
 * `chunk` returned, and render it in the platform's own format.
 */
export interface ChannelAccount {
  readonly channel: string;
  readonly accountId: string;
  readonly capabilities: ChannelCapabilities;
  /**
   * Connects and starts receiving into `sink`. Resolves once connected, with who the account
   * is; rejects with a `ChannelError` when it cannot (a bad token: `OC_ERR_CHANNEL_AUTH`).
   */
  start(sink: InboundSink): Promise<ChannelIdentity>;
  /** Stops receiving and closes connections; a message being delivered is let finish. */
  stop(): Promise<void>;
  /** Splits a Markdown reply into pieces that each fit the platform's limit once rendered. */
  chunk(markdown: string): string[];
  /** Sends one chunk; rejects with a `ChannelSendError` (retryable or not, `retryAfterMs`). */
  send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }>;
  /** Replaces the text of a message the account sent (capabilities.edit). */
  edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void>;
  /** Shows "typing…" in the conversation for a few seconds (capabilities.typing). */
  typing(target: OutboundTarget): Promise<void>;
  /**
   * Opens a thread under `target` (capabilities.threads === "child"), posting `intro` as its
   * first message where the platform needs one (Slack's thread root): later messages in it
   * arrive with `threadId` set to the returned id, and a send to `{ ...target, threadId }` lands
   * in it. `name` is the thread's title where the platform has titles (Discord, ≤ 100 chars).
   */
  createThread?(target: OutboundTarget, name: string, intro: string): Promise<{ threadId: string }>;
}
