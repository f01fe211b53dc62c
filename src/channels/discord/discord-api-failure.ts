import { DiscordAPIError, HTTPError, RateLimitError } from "@discordjs/rest";
import type { OpenClawError } from "../../errors.js";
import { ChannelSendError, channelAuthError, channelConnectError } from "../core/channel-errors.js";
import { DISCORD_CHANNEL } from "./normalize-discord-message.js";

/**
 * What went wrong with one REST call, reduced to what is safe to show. The library's errors are
 * not passed on as `cause`: they carry the request body (the user's and the agent's text).
 * Discord puts the token in a header, never a URL, so a URL or Discord's message may be shown.
 */
export type DiscordApiFailure =
  | { kind: "refused"; what: string; status: number; code: number | string; message: string }
  | { kind: "rate-limited"; what: string; retryAfterMs: number }
  | { kind: "unavailable"; what: string; status: number }
  | { kind: "network"; what: string; detail: string };

export function describeDiscordFailure(what: string, error: unknown): DiscordApiFailure {
  if (error instanceof DiscordAPIError)
    return { kind: "refused", what, status: error.status, code: error.code, message: error.message };
  if (error instanceof RateLimitError) return { kind: "rate-limited", what, retryAfterMs: error.retryAfter };
  if (error instanceof HTTPError) return { kind: "unavailable", what, status: error.status };
  return { kind: "network", what, detail: networkDetail(error) };
}

/** Only a system error code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT) or the error's class. */
function networkDetail(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return `network error (${code})`;
  if (error instanceof Error && error.name === "AbortError") return "request timed out";
  return error instanceof Error ? `network error (${error.name})` : "network error";
}

function failureText(failure: DiscordApiFailure): string {
  switch (failure.kind) {
    case "refused":
      return `${failure.what} refused: ${failure.status} ${failure.message}`;
    case "rate-limited":
      return `${failure.what} rate limited for ${Math.ceil(failure.retryAfterMs / 1000)} s`;
    case "unavailable":
      return `${failure.what} failed: Discord answered ${failure.status}`;
    case "network":
      return `${failure.what} failed: ${failure.detail}`;
  }
}

/** The error `start` rejects with when a call needed to connect fails. */
export function toDiscordConnectError(failure: DiscordApiFailure, accountId: string): OpenClawError {
  if (failure.kind === "refused" && failure.status === 401)
    return channelAuthError(
      DISCORD_CHANNEL,
      accountId,
      "401 Unauthorized (the bot token is invalid or was reset)",
    );
  return channelConnectError(DISCORD_CHANNEL, accountId, failureText(failure));
}

/**
 * A send Discord refused, as the core retries it: waits it asked for (a 429 too long for the
 * client to sit out by itself), 5xx and network failures are retried; a 4xx is not (the channel
 * is gone, the bot lacks a permission, the text is refused), with a hint for the usual ones.
 */
export function toDiscordSendError(failure: DiscordApiFailure): ChannelSendError {
  const message = `discord ${failureText(failure)}`;
  switch (failure.kind) {
    case "rate-limited":
      return new ChannelSendError(message, { retryable: true, retryAfterMs: failure.retryAfterMs });
    case "unavailable":
    case "network":
      return new ChannelSendError(message, { retryable: true });
    case "refused": {
      const hint = SEND_HINTS[String(failure.code)] ?? (failure.status === 401 ? SEND_HINTS["0"] : undefined);
      return new ChannelSendError(message, { retryable: false, ...(hint ? { hint } : {}) });
    }
  }
}

const SEND_HINTS: Record<string, string> = {
  "0": "the bot token was refused: reset it in the Developer Portal and update its secret",
  "10003": "the channel does not exist or the bot cannot see it: use channel:<id> of a channel the bot is in",
  "10013": "no such user: a bare id is a user; use channel:<id> for a guild channel",
  "50001": "the bot cannot see this channel: give it View Channel there",
  "50007": "the user does not accept DMs from the bot (Privacy Settings → Direct Messages)",
  "50013": "the bot lacks a permission here (Send Messages, Send Messages in Threads, Create Public Threads)",
  "50035": "Discord refused the message body",
};
