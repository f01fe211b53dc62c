import type { ChannelLog, ChannelLogLevel } from "../core/channel-log.js";

export type DiscordLogLevel = ChannelLogLevel;
export type DiscordLog = ChannelLog;

export interface DiscordAccountOptions {
  accountId: string;
  /** The resolved bot token. A secret: never logged, never in an error, a status or a message. */
  token: string;
  /** REST base without the version (`/v10`); default https://discord.com/api. */
  apiBase?: string;
  /** Send replies with link previews suppressed; default true, as OpenClaw. */
  suppressEmbeds?: boolean;
  /** Characters a message may take; default 2000, Discord's limit. */
  textChunkLimit?: number;
  /** How long `start` waits for the gateway's READY; default 30 s. */
  readyTimeoutMs?: number;
  /**
   * How long a dropped gateway connection may stay down (the client retrying by itself) before
   * the account fails and is marked degraded; default 60 s.
   */
  reconnectTimeoutMs?: number;
  log?: DiscordLog;
}

export const DEFAULT_API_BASE = "https://discord.com/api";
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const DEFAULT_RECONNECT_TIMEOUT_MS = 60_000;
/**
 * A 429 asking for a longer wait than this is not sat out inside the REST client (which would
 * hold the send with no way to stop it): it comes back as a retryable ChannelSendError with
 * `retryAfterMs`, and the core's sender pauses the account's sends until then.
 */
export const MAX_CLIENT_RATE_LIMIT_WAIT_MS = 10_000;
