import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Signs and checks the internal hop between replicas (a forwarded turn). The key is derived from
 * the cluster's shared signing key in storage, never from a user's credential: a forwarded
 * request carries no token of the client, and a client's token opens no internal route. Each
 * request is signed over its method, path, body digest, timestamp and a nonce; a nonce is
 * accepted once within the clock window, so a captured request cannot be replayed.
 */
export const HOP_HEADERS = {
  replica: "x-openclaw-cluster-replica",
  timestamp: "x-openclaw-cluster-timestamp",
  nonce: "x-openclaw-cluster-nonce",
  bodyDigest: "x-openclaw-cluster-body-sha256",
  signature: "x-openclaw-cluster-signature",
} as const;

/** How far a hop's timestamp may be from this replica's clock, either way. */
export const HOP_CLOCK_WINDOW_MS = 30_000;
/** Nonces remembered at most: beyond it the oldest go (they are outside the window by then). */
const MAX_NONCES = 50_000;

export type HopVerdict = { ok: true; replica: string } | { ok: false; reason: string };

export class ClusterHopAuth {
  private readonly key: Buffer;
  private readonly seen = new Map<string, number>();

  constructor(
    sharedKey: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    // A key of its own: a hop signature is never also a valid capability signature.
    this.key = Buffer.from(hkdfSync("sha256", sharedKey, "", "openclaw cluster hop v1", 32));
  }

  static bodyDigest(body: string): string {
    return createHash("sha256").update(body).digest("hex");
  }

  /** The headers of a signed request from `replica`. */
  sign(replica: string, method: string, path: string, body: string): Record<string, string> {
    const timestamp = String(this.now());
    const nonce = randomBytes(16).toString("hex");
    const bodyDigest = ClusterHopAuth.bodyDigest(body);
    return {
      [HOP_HEADERS.replica]: replica,
      [HOP_HEADERS.timestamp]: timestamp,
      [HOP_HEADERS.nonce]: nonce,
      [HOP_HEADERS.bodyDigest]: bodyDigest,
      [HOP_HEADERS.signature]: this.mac([method.toUpperCase(), path, replica, timestamp, nonce, bodyDigest]),
    };
  }

  /**
   * Judges a request's headers (the body digest is the route's to compare with the body it
   * read). A valid request's nonce is spent: the same headers are refused the second time.
   */
  verify(headers: Record<string, string | string[] | undefined>, method: string, path: string): HopVerdict {
    const read = (name: string) => {
      const value = headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const replica = read(HOP_HEADERS.replica);
    const timestamp = read(HOP_HEADERS.timestamp);
    const nonce = read(HOP_HEADERS.nonce);
    const bodyDigest = read(HOP_HEADERS.bodyDigest);
    const signature = read(HOP_HEADERS.signature);
    if (!replica || !timestamp || !nonce || !bodyDigest || !signature)
      return { ok: false, reason: "unsigned" };
    const at = Number(timestamp);
    const now = this.now();
    if (!Number.isFinite(at) || Math.abs(now - at) > HOP_CLOCK_WINDOW_MS)
      return { ok: false, reason: "stale" };
    const expected = Buffer.from(
      this.mac([method.toUpperCase(), path, replica, timestamp, nonce, bodyDigest]),
    );
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: "bad_signature" };
    }
    this.forgetOld(now);
    if (this.seen.has(nonce)) return { ok: false, reason: "replayed" };
    this.seen.set(nonce, at);
    return { ok: true, replica };
  }

  private mac(parts: string[]): string {
    return createHmac("sha256", this.key).update(parts.join("\n")).digest("hex");
  }

  private forgetOld(now: number): void {
    for (const [nonce, at] of this.seen) {
      if (this.seen.size < MAX_NONCES && at >= now - HOP_CLOCK_WINDOW_MS * 2) break;
      this.seen.delete(nonce);
    }
  }
}
