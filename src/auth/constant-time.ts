import { hash, timingSafeEqual } from "node:crypto";

// One-shot hash: no Hash object per request (a third cheaper for a token-sized input).
const digest = (value: string): Buffer => hash("sha256", value, "buffer");

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

/**
 * safeEqual against a configured secret that every request is checked against (the gateway's
 * token, the local CLI token): its digest is computed once per value rather than per request.
 * It keeps the last value only, so use one per secret and never for per-call values (nonces,
 * signatures). Telling whether the value changed compares two secrets the gateway holds; what a
 * client presents is only ever hashed and compared in constant time.
 */
export class ConfiguredSecret {
  private value: string | undefined;
  private hashed: Buffer | undefined;

  matches(presented: string | PresentedSecret, expected: string): boolean {
    if (this.hashed === undefined || this.value !== expected) {
      this.value = expected;
      this.hashed = digest(expected);
    }
    const hashed = typeof presented === "string" ? digest(presented) : presented.digest();
    const equal = timingSafeEqual(hashed, this.hashed);
    return equal && expected.length > 0;
  }
}

/** What one request presented, hashed once however many configured secrets it is tried against. */
export class PresentedSecret {
  private hashed: Buffer | undefined;

  constructor(readonly value: string) {}

  digest(): Buffer {
    this.hashed ??= digest(this.value);
    return this.hashed;
  }
}
