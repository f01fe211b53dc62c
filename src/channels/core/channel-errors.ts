import { OpenClawError } from "../../errors.js";

/**
 * A send the platform refused. `retryable` sends are tried again with back-off; a platform that
 * says how long to wait (Telegram's 429 `retry_after`, seconds) sets `retryAfterMs`, which wins
 * over the back-off. Not retryable: the chat is gone, the bot was blocked, the text is refused.
 */
export class ChannelSendError extends OpenClawError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; hint?: string; cause?: unknown },
  ) {
    super("OC_ERR_CHANNEL_SEND", message, {
      ...(options.hint ? { hint: options.hint } : {}),
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The platform refused the account's credential (Telegram 401, IRC SASL failure). */
export function channelAuthError(channel: string, accountId: string, detail: string): OpenClawError {
  return new OpenClawError(
    "OC_ERR_CHANNEL_AUTH",
    `${channel} account "${accountId}" was refused: ${detail}`,
    {
      hint: `check the credential (token or password) of channels.${channel}${accountId === "default" ? "" : `.accounts.${accountId}`} and its secret, then \`openclaw secrets reload\``,
    },
  );
}

/** The platform cannot be reached or the connection broke; the channel reconnects by itself. */
export function channelConnectError(channel: string, accountId: string, detail: string): OpenClawError {
  return new OpenClawError(
    "OC_ERR_CHANNEL_CONNECT",
    `${channel} account "${accountId}" cannot connect: ${detail}`,
    { hint: "the gateway retries with back-off; check the network or the server address" },
  );
}
