import type { ChannelLog, ChannelLogLevel } from "../core/channel-log.js";

export type SlackLogLevel = ChannelLogLevel;
export type SlackLog = ChannelLog;

export type SlackReplyToMode = "off" | "first" | "all" | "batched";

/** How replies thread, per conversation kind and per channel (OpenClaw's replyToMode keys). */
export interface SlackReplyThreading {
  replyToMode?: SlackReplyToMode;
  byChatType?: { direct?: SlackReplyToMode; group?: SlackReplyToMode; channel?: SlackReplyToMode };
  /** `channels.<id>.replyToMode`, by channel id. */
  byChannel?: Record<string, SlackReplyToMode>;
}

export interface SlackEventsListenerOptions {
  /** Default `127.0.0.1`: Slack reaches it through a reverse proxy or tunnel. */
  host?: string;
  /** Default 8788; 0 picks a free port. */
  port?: number;
  /** Default `/slack/events`; `/healthz` is the health check's. */
  path?: string;
}

export interface SlackAccountOptions {
  accountId: string;
  /** The bot token (xoxb-…). A secret: never logged, never in an error, a status or a message. */
  botToken: string;
  mode: "socket" | "http";
  /** The App-Level Token (xapp-…), Socket Mode. A secret. */
  appToken?: string;
  /** The Signing Secret, http mode. A secret. */
  signingSecret?: string;
  events?: SlackEventsListenerOptions;
  /** Web API base; default https://slack.com/api/. */
  apiUrl?: string;
  threading?: SlackReplyThreading;
  /** Group DMs (MPIMs) answered at all (`dm.groupEnabled`), and which (`dm.groupChannels`). */
  groupDms?: { enabled: boolean; channels?: readonly string[] };
  /** Rendered length a message may take; default 4000, what Slack advises for `text`. */
  textChunkLimit?: number;
  unfurlLinks?: boolean;
  unfurlMedia?: boolean;
  /** Socket Mode: the first reconnect waits this long, doubling to 30 s. Default 2000 (OpenClaw's). */
  reconnectBaseMs?: number;
  /** Web API attempts for a call that failed on the network or was rate-limited. Default 4. */
  apiAttempts?: number;
  log?: SlackLog;
}

export const DEFAULT_API_URL = "https://slack.com/api/";
export const DEFAULT_TEXT_CHUNK_LIMIT = 4000;
export const DEFAULT_EVENTS_HOST = "127.0.0.1";
export const DEFAULT_EVENTS_PORT = 8788;
export const DEFAULT_EVENTS_PATH = "/slack/events";
