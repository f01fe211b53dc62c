import { GrammyError, HttpError } from "grammy";
import type { OpenClawError } from "../../errors.js";
import { ChannelSendError, channelAuthError, channelConnectError } from "../core/channel-errors.js";

/**
 * What went wrong with one Bot API call, reduced to what is safe to show. grammY's errors are
 * never passed on (not even as `cause`): the HTTP error wraps node-fetch's, whose message holds
 * the request URL, and the Bot API puts the token in every URL (`/bot<token>/<method>`).
 */
export type TelegramApiFailure =
  | {
      kind: "refused";
      method: string;
      errorCode: number;
      description: string;
      /** Telegram's `parameters.retry_after`, in seconds, on a 429. */
      retryAfterSeconds: number | undefined;
    }
  | { kind: "network"; method: string; detail: string };

export function describeTelegramFailure(method: string, error: unknown, token: string): TelegramApiFailure {
  if (error instanceof GrammyError) {
    const retryAfter = error.parameters.retry_after;
    return {
      kind: "refused",
      method,
      errorCode: error.error_code,
      description: redactToken(error.description, token),
      retryAfterSeconds: typeof retryAfter === "number" ? retryAfter : undefined,
    };
  }
  return { kind: "network", method, detail: networkDetail(error, token) };
}

/** Only the system error code (ECONNREFUSED, ETIMEDOUT) or the error's class: never its message. */
function networkDetail(error: unknown, token: string): string {
  const inner = error instanceof HttpError ? error.error : error;
  if (typeof inner === "object" && inner !== null) {
    const code = "code" in inner ? inner.code : undefined;
    if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return `network error (${code})`;
    const errno = "errno" in inner ? inner.errno : undefined;
    if (typeof errno === "string" && /^[A-Z0-9_]+$/.test(errno)) return `network error (${errno})`;
    if (inner instanceof Error && inner.name === "AbortError") return "request aborted";
    if (inner instanceof Error && /timed out/.test(inner.message)) return "request timed out";
  }
  return redactToken(inner instanceof Error ? `network error (${inner.name})` : "network error", token);
}

export function failureText(failure: TelegramApiFailure): string {
  return failure.kind === "refused"
    ? `${failure.method} refused: ${failure.errorCode} ${failure.description}`
    : `${failure.method} failed: ${failure.detail}`;
}

/** A refused token: 401, or 404, which is what Telegram answers for a malformed one. */
export function isTokenRefused(failure: TelegramApiFailure): boolean {
  return failure.kind === "refused" && (failure.errorCode === 401 || failure.errorCode === 404);
}

/** The error `start` rejects with when a call needed to connect fails. */
export function toConnectError(failure: TelegramApiFailure, accountId: string): OpenClawError {
  if (isTokenRefused(failure)) return channelAuthError("telegram", accountId, "Unauthorized");
  return channelConnectError("telegram", accountId, failureText(failure));
}

export function toSendError(failure: TelegramApiFailure): ChannelSendError {
  const message = `telegram ${failureText(failure)}`;
  if (failure.kind === "network") return new ChannelSendError(message, { retryable: true });
  const { errorCode, retryAfterSeconds } = failure;
  if (errorCode === 429) {
    return new ChannelSendError(message, {
      retryable: true,
      ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    });
  }
  if (errorCode >= 500) return new ChannelSendError(message, { retryable: true });
  return new ChannelSendError(message, {
    retryable: false,
    ...(errorCode === 401 ? { hint: "the bot token was refused: check it with BotFather" } : {}),
    ...(errorCode === 403 ? { hint: "the bot was blocked by the user or removed from the chat" } : {}),
  });
}

export function isCannotParseEntities(failure: TelegramApiFailure): boolean {
  return (
    failure.kind === "refused" &&
    failure.errorCode === 400 &&
    /can't parse entities/i.test(failure.description)
  );
}

export function isNotModified(failure: TelegramApiFailure): boolean {
  return (
    failure.kind === "refused" &&
    failure.errorCode === 400 &&
    /message is not modified/i.test(failure.description)
  );
}

/** Belt and braces: a description is Telegram's text, but nothing shown may hold the token. */
export function redactToken(text: string, token: string): string {
  return token.length > 0 ? text.split(token).join("<redacted>") : text;
}
