import type { OpenClawError } from "../../errors.js";
import { ChannelSendError, channelAuthError, channelConnectError } from "../core/channel-errors.js";

/**
 * What went wrong with one Web API call, reduced to what is safe to show: Slack's `error` string
 * (`channel_not_found`, `invalid_auth`), an HTTP status, or a network error's code. The library's
 * error objects are not passed on: a request error's message can quote the request.
 */
export type SlackApiFailure =
  | { kind: "refused"; method: string; error: string }
  | { kind: "http"; method: string; status: number }
  | { kind: "rate-limited"; method: string; retryAfterSeconds: number | undefined }
  | { kind: "network"; method: string; detail: string };

/** Slack's answers that mean the token itself is no good: retrying cannot help. */
const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "no_permission",
  "missing_scope",
  "not_allowed_token_type",
  "team_access_not_granted",
]);

export function describeSlackFailure(method: string, error: unknown): SlackApiFailure {
  const coded = error as {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
  };
  switch (coded?.code) {
    case "slack_webapi_platform_error":
      return { kind: "refused", method, error: safeWord(coded.data?.error) ?? "unknown_error" };
    case "slack_webapi_http_error":
      return { kind: "http", method, status: typeof coded.statusCode === "number" ? coded.statusCode : 0 };
    case "slack_webapi_rate_limited_error":
      return {
        kind: "rate-limited",
        method,
        retryAfterSeconds: typeof coded.retryAfter === "number" ? coded.retryAfter : undefined,
      };
    case "slack_webapi_request_error":
      return { kind: "network", method, detail: networkDetail((error as { original?: unknown }).original) };
  }
  // What the client throws once its rate-limit retries are spent.
  if (error instanceof Error && /^A rate limit was exceeded/.test(error.message))
    return { kind: "rate-limited", method, retryAfterSeconds: undefined };
  return { kind: "network", method, detail: networkDetail(error) };
}

function safeWord(value: unknown): string | undefined {
  return typeof value === "string" && /^[a-z0-9_.-]{1,80}$/i.test(value) ? value : undefined;
}

function networkDetail(error: unknown): string {
  let inner: unknown = error;
  // fetch wraps the system error as `cause`.
  for (let depth = 0; depth < 3 && typeof inner === "object" && inner !== null; depth += 1) {
    const code = (inner as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return `network error (${code})`;
    inner = (inner as { cause?: unknown }).cause;
  }
  if (error instanceof Error && error.name === "TimeoutError") return "request timed out";
  return error instanceof Error ? `network error (${error.name})` : "network error";
}

export function failureText(failure: SlackApiFailure): string {
  switch (failure.kind) {
    case "refused":
      return `${failure.method} refused: ${failure.error}`;
    case "http":
      return `${failure.method} failed: HTTP ${failure.status}`;
    case "rate-limited":
      return `${failure.method} rate-limited by Slack`;
    case "network":
      return `${failure.method} failed: ${failure.detail}`;
  }
}

export function isAuthFailure(failure: SlackApiFailure): boolean {
  return failure.kind === "refused" && AUTH_ERRORS.has(failure.error);
}

/** The error `start` rejects with when a call needed to connect fails. */
export function toConnectError(
  failure: SlackApiFailure,
  accountId: string,
  credential: string,
): OpenClawError {
  if (isAuthFailure(failure) && failure.kind === "refused")
    return channelAuthError("slack", accountId, `${credential}: ${failure.error}`);
  return channelConnectError("slack", accountId, failureText(failure));
}

export function toSendError(failure: SlackApiFailure): ChannelSendError {
  const message = `slack ${failureText(failure)}`;
  switch (failure.kind) {
    case "network":
      return new ChannelSendError(message, { retryable: true });
    case "rate-limited":
      return new ChannelSendError(message, {
        retryable: true,
        ...(failure.retryAfterSeconds !== undefined
          ? { retryAfterMs: failure.retryAfterSeconds * 1000 }
          : {}),
      });
    case "http":
      return new ChannelSendError(message, { retryable: failure.status >= 500 || failure.status === 0 });
    case "refused":
      if (failure.error === "ratelimited") return new ChannelSendError(message, { retryable: true });
      if (isAuthFailure(failure))
        return new ChannelSendError(message, {
          retryable: false,
          hint: "Slack refused the bot token: reinstall the app or rotate channels.slack.botToken, then `openclaw secrets reload`",
        });
      return new ChannelSendError(message, {
        retryable: failure.error === "internal_error" || failure.error === "service_unavailable",
        ...(failure.error === "not_in_channel" || failure.error === "channel_not_found"
          ? { hint: "invite the app to the channel (/invite @YourApp) or check the channel id" }
          : {}),
      });
  }
}
