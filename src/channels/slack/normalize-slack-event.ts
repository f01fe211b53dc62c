import type { InboundAttachment, InboundMessage, PeerKind } from "../core/channel-account.js";
import type { SlackReplyThreading, SlackReplyToMode } from "./slack-account-options.js";

/** The parts of a Slack `message` / `app_mention` event the gateway reads. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  team?: string;
  user_profile?: { real_name?: string; display_name?: string; name?: string };
  files?: { id?: string; name?: string; mimetype?: string; size?: number }[];
}

/** An `event_callback` body (Events API) or an `events_api` envelope's payload (Socket Mode). */
export interface SlackEventCallback {
  type?: string;
  team_id?: string;
  event_id?: string;
  event?: SlackMessageEvent;
}

export interface NormalizeContext {
  accountId: string;
  /** The bot's user id (`auth.test` user_id): its own messages are skipped, `<@id>` is a mention. */
  botUserId: string;
  threading: SlackReplyThreading;
  groupDms: { enabled: boolean; channels?: readonly string[] };
  /** Conversation kinds learned from `message` events (app_mention carries none). */
  kinds: Map<string, PeerKind>;
}

/**
 * Subtypes that are still a person writing: a file with a comment, a thread reply also posted to
 * the channel. Every other subtype (edits, deletes, joins, bot posts, topic changes) is not a
 * message to answer.
 */
const ANSWERED_SUBTYPES = new Set(["file_share", "thread_broadcast"]);

/**
 * One Slack event as an `InboundMessage`, or undefined for what the gateway does not answer.
 * A mention in a channel arrives twice (`app_mention` and `message`) with the same channel and
 * `ts`: both give the same `messageId`, so the inbox keeps one.
 */
export function normalizeSlackEvent(
  callback: SlackEventCallback,
  context: NormalizeContext,
): InboundMessage | undefined {
  const event = callback.event;
  if (!event || (event.type !== "message" && event.type !== "app_mention")) return undefined;
  const { channel, user, ts } = event;
  if (!channel || !user || !ts) return undefined;
  if (event.bot_id !== undefined || user === context.botUserId) return undefined;
  if (event.subtype !== undefined && !ANSWERED_SUBTYPES.has(event.subtype)) return undefined;
  const kind = peerKindOf(event, context.kinds);
  if (kind === "group" && !groupDmAllowed(channel, context.groupDms)) return undefined;
  const threadId = threadIdOf(event, kind, context.threading);
  const text = decodeEntities(event.text ?? "");
  const teamId = event.team ?? callback.team_id;
  const name = event.user_profile?.real_name || event.user_profile?.display_name;
  return {
    channel: "slack",
    accountId: context.accountId,
    messageId: `${channel}:${ts}`,
    peer: { kind, id: kind === "direct" ? user : channel },
    ...(threadId !== undefined ? { threadId } : {}),
    sender: {
      id: user,
      ...(name ? { name } : {}),
      ...(event.user_profile?.name ? { username: event.user_profile.name } : {}),
    },
    mentioned: kind === "direct" || event.type === "app_mention" || mentions(text, context.botUserId),
    text,
    attachments: attachmentsOf(event),
    sentAt: Math.round(Number(ts) * 1000) || Date.now(),
    ...(teamId ? { routing: { teamId } } : {}),
  };
}

/**
 * OpenClaw's kinds: DMs `direct`, group DMs `group`, public and private channels `channel`.
 * `app_mention` says no channel_type: a kind seen before for the channel, else `channel`
 * (Slack sends no app_mention in DMs).
 */
function peerKindOf(event: SlackMessageEvent, kinds: Map<string, PeerKind>): PeerKind {
  const channel = event.channel as string;
  const known =
    event.channel_type === "im"
      ? "direct"
      : event.channel_type === "mpim"
        ? "group"
        : event.channel_type === "channel" || event.channel_type === "group"
          ? "channel"
          : undefined;
  if (known) {
    if (kinds.size > 10_000) kinds.clear();
    kinds.set(channel, known);
    return known;
  }
  return kinds.get(channel) ?? (channel.startsWith("D") ? "direct" : "channel");
}

function groupDmAllowed(channel: string, groupDms: NormalizeContext["groupDms"]): boolean {
  if (!groupDms.enabled) return false;
  return groupDms.channels === undefined || groupDms.channels.includes(channel);
}

/**
 * The thread a message belongs to, which is also its session's `:thread:<ts>` suffix and where the
 * reply goes. A message in a thread: the thread's root `thread_ts`. A top-level message in a
 * channel: its own `ts` when replies open a thread there (replyToMode not off), so the root and
 * the replies in its thread share one session, as OpenClaw seeds it; else none (the channel's
 * session, a top-level reply).
 */
function threadIdOf(
  event: SlackMessageEvent,
  kind: PeerKind,
  threading: SlackReplyThreading,
): string | undefined {
  if (event.thread_ts !== undefined && event.thread_ts !== event.ts) return event.thread_ts;
  if (kind === "direct") return undefined;
  return replyToModeFor(threading, kind, event.channel as string) === "off" ? undefined : event.ts;
}

export function replyToModeFor(
  threading: SlackReplyThreading,
  kind: PeerKind,
  channel: string,
): SlackReplyToMode {
  return threading.byChannel?.[channel] ?? threading.byChatType?.[kind] ?? threading.replyToMode ?? "off";
}

/** `<@U123>` or `<@U123|name>`: how Slack writes a mention in `text`. */
function mentions(text: string, botUserId: string): boolean {
  return text.includes(`<@${botUserId}>`) || text.includes(`<@${botUserId}|`);
}

/** Slack escapes exactly these three in `text`. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function attachmentsOf(event: SlackMessageEvent): InboundAttachment[] {
  return (event.files ?? []).map((file) => ({
    kind: attachmentKind(file.mimetype),
    ...(file.name ? { name: file.name } : {}),
    ...(file.mimetype ? { mimeType: file.mimetype } : {}),
    ...(file.size !== undefined ? { sizeBytes: file.size } : {}),
    ...(file.id ? { platformId: file.id } : {}),
  }));
}

function attachmentKind(mimeType: string | undefined): InboundAttachment["kind"] {
  if (!mimeType) return "document";
  if (mimeType.startsWith("image/")) return "photo";
  if (mimeType.startsWith("audio/")) return "audio";
  if (mimeType.startsWith("video/")) return "video";
  return "document";
}
