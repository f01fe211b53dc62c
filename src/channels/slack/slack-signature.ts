import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack refuses to sign with a clock this far off, and so does the listener: a replay window. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: "missing headers" | "stale timestamp" | "bad signature" };

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`: what Slack puts in X-Slack-Signature. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}

/**
 * Whether an Events API request is Slack's: its timestamp within five minutes of now (a captured
 * request replayed later is refused) and its signature the HMAC of exactly these bytes. The
 * comparison is constant-time over equal-length buffers, so timing a refusal tells nothing of
 * how much of a forged signature was right.
 */
export function verifySlackSignature(request: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: "missing headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "stale timestamp" };
  const nowSeconds = Math.floor((request.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS)
    return { ok: false, reason: "stale timestamp" };
  const expected = Buffer.from(slackSignature(request.signingSecret, timestamp, request.rawBody), "utf8");
  const presented = Buffer.from(signature, "utf8");
  // timingSafeEqual needs equal lengths; a wrong length is refused without comparing, which
  // reveals only the length of `v0=<64 hex>`, public anyway.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return { ok: false, reason: "bad signature" };
  return { ok: true };
}
