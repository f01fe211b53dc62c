import type { ChannelLog, ChannelLogLevel } from "../core/channel-log.js";

export type TelegramLogLevel = ChannelLogLevel;
export type TelegramLog = ChannelLog;

export interface TelegramWebhookOptions {
  /** The public HTTPS URL Telegram posts to (a reverse proxy in front of the listener). */
  url: string;
  /** Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token`; 1–256 of `A-Za-z0-9_-`. */
  secret: string;
  /** Default `/telegram-webhook`; `/healthz` is the health check's. */
  path?: string;
  /** Default `127.0.0.1`: public ingress goes through a proxy unless set otherwise on purpose. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
}

export interface TelegramAccountOptions {
  accountId: string;
  /** The resolved bot token. A secret: never logged, never in an error, a status or a message. */
  token: string;
  /** Bot API root without `/bot<token>`; default https://api.telegram.org. */
  apiRoot?: string;
  mode: "polling" | "webhook";
  /** Long-poll timeout; default 30. */
  pollTimeoutSeconds?: number;
  webhook?: TelegramWebhookOptions;
  /** Rendered length a message may take; default 4096, Telegram's limit. */
  textChunkLimit?: number;
  log?: TelegramLog;
}

export const DEFAULT_API_ROOT = "https://api.telegram.org";
export const DEFAULT_POLL_TIMEOUT_SECONDS = 30;
export const DEFAULT_TEXT_CHUNK_LIMIT = 4096;
export const DEFAULT_WEBHOOK_PATH = "/telegram-webhook";
export const DEFAULT_WEBHOOK_HOST = "127.0.0.1";
export const DEFAULT_WEBHOOK_PORT = 8787;
