import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a webhook request's `X-Telegram-Bot-Api-Secret-Token` is the configured secret.
 * Both sides are hashed first so the comparison takes the same time whatever the length or the
 * first differing byte: a caller timing refusals learns nothing about the secret.
 */
export function webhookSecretMatches(presented: string | undefined, secret: string): boolean {
  if (presented === undefined) return false;
  const expected = createHash("sha256").update(secret, "utf8").digest();
  const actual = createHash("sha256").update(presented, "utf8").digest();
  return timingSafeEqual(actual, expected);
}

/** What Telegram accepts as `secret_token`: 1–256 of `A-Z a-z 0-9 _ -`. */
export const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
