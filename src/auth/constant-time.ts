import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Compares a presented secret with the expected one without leaking, through timing, how many
 * leading characters match or how long the expected value is: both sides are hashed to 32 bytes
 * first, so `timingSafeEqual` always compares equal lengths. An empty expected value never
 * matches, so an unset credential cannot be satisfied by an empty one.
 */
export function safeEqual(presented: string, expected: string): boolean {
  const equal = timingSafeEqual(digest(presented), digest(expected));
  return equal && expected.length > 0;
}
