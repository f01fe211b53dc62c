import { createHmac, randomBytes } from "node:crypto";
import { OpenClawError } from "../errors.js";
import type { CapabilityRevocation } from "../storage/capability-state-store.js";
import { safeEqual } from "./constant-time.js";

export type CapabilitySurface = "canvas" | "a2ui";

export interface CapabilityIssuerOptions {
  /** HMAC key, at least 32 bytes; random by default, so a restart invalidates every capability. */
  key?: Buffer;
  ttlMs: number;
  now?: () => number;
}

export interface CapabilityGrant {
  nodeId: string;
  sessionKey: string;
  surfaces: CapabilitySurface[];
}

export type CapabilityRefusal =
  | "missing"
  | "malformed"
  | "bad_signature"
  | "expired"
  | "revoked"
  | "wrong_surface";

export type CapabilityVerdict =
  | { ok: true; nodeId: string; sessionKey: string; expiresAt: number }
  | { ok: false; reason: CapabilityRefusal };

/** The signed part of a token. Short names keep the token short: it travels in URLs. */
interface CapabilityPayload {
  v: 2;
  /** nodeId */
  n: string;
  /** sessionKey */
  s: string;
  /** surfaces */
  f: CapabilitySurface[];
  exp: number;
  /** When it was issued, by the issuer's clock (see `CapabilityIssuer`): what revocations compare. */
  i: number;
}

interface Revocation {
  /** Tokens issued at or before this tick are revoked. */
  issuedUpTo: number;
  keepUntil: number;
}

const SURFACES: ReadonlySet<string> = new Set<CapabilitySurface>(["canvas", "a2ui"]);
const MIN_KEY_BYTES = 32;
const BODY = /^[A-Za-z0-9_-]+$/;
/** An HMAC-SHA256 is 32 bytes: 43 base64url characters. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

const sessionId = (nodeId: string, sessionKey: string): string => JSON.stringify([nodeId, sessionKey]);

/**
 * Issues and checks the capability tokens that let a node's canvas and A2UI pages load without
 * the gateway credential: `base64url(JSON payload) "." base64url(HMAC-SHA256(key, first part))`.
 *
 * Revocation is by issue time: each token carries the tick it was issued at, and `revokeNode` /
 * `endSession` remember "issued at or before now" for the node or the session, so one call
 * invalidates every token issued before it, with nothing stored per token. The records are plain
 * data (`CapabilityRevocation`): a cluster shares them (the store and a `revocation` event,
 * see CapabilitySync) and each gateway `apply`s the others'. A record is forgotten once every
 * token it could revoke has expired, which keeps memory bounded by recent revocations.
 *
 * Ticks are epoch ms from a clock that never repeats (max(now, previous + 1)) and that jumps past
 * every revocation applied: a token issued in the same millisecond as a later revocation still
 * has the smaller tick and is refused, and one issued after a revocation (local or another
 * gateway's) has a greater one and works.
 */
export class CapabilityIssuer {
  private readonly key: Buffer;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private clock = 0;
  private readonly nodeRevocations = new Map<string, Revocation>();
  private readonly sessionRevocations = new Map<string, Revocation>();

  constructor(options: CapabilityIssuerOptions) {
    if (options.key !== undefined && options.key.length < MIN_KEY_BYTES) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `capability key must be at least ${MIN_KEY_BYTES} bytes`,
        {
          hint: "omit the key to use a random one, or pass 32 random bytes",
        },
      );
    }
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `capability ttlMs must be a positive integer, got ${options.ttlMs}`,
        {
          hint: "set the capability lifetime in milliseconds, e.g. 600000 for ten minutes",
        },
      );
    }
    this.key = options.key ?? randomBytes(MIN_KEY_BYTES);
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  issue(grant: CapabilityGrant): { token: string; expiresAt: number } {
    if (grant.nodeId === "" || grant.sessionKey === "") {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "a capability needs a node id and a session key");
    }
    const surfaces = [...new Set(grant.surfaces)];
    if (surfaces.length === 0 || !surfaces.every((surface) => SURFACES.has(surface))) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "a capability needs one or more surfaces: canvas, a2ui", {
        details: { surfaces: grant.surfaces },
      });
    }
    const expiresAt = this.now() + this.ttlMs;
    const payload: CapabilityPayload = {
      v: 2,
      n: grant.nodeId,
      s: grant.sessionKey,
      f: surfaces,
      exp: expiresAt,
      i: this.tick(),
    };
    const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
    return { token: `${body}.${this.sign(body)}`, expiresAt };
  }

  verify(token: string | undefined, surface: CapabilitySurface): CapabilityVerdict {
    if (token === undefined || token === "") return { ok: false, reason: "missing" };
    const parts = token.split(".");
    const [body, signature] = parts;
    if (parts.length !== 2 || body === undefined || signature === undefined)
      return { ok: false, reason: "malformed" };
    if (!BODY.test(body) || !SIGNATURE.test(signature)) return { ok: false, reason: "malformed" };
    // Compare the encoded signature, not decoded bytes: base64url's unused trailing bits give one
    // signature several spellings, and a tampered spelling must not pass.
    if (!safeEqual(signature, this.sign(body))) return { ok: false, reason: "bad_signature" };

    const payload = parsePayload(body);
    if (payload === undefined) return { ok: false, reason: "malformed" };
    const now = this.now();
    if (now >= payload.exp) return { ok: false, reason: "expired" };
    const nodeRevocation = this.nodeRevocations.get(payload.n);
    const sessionRevocation = this.sessionRevocations.get(sessionId(payload.n, payload.s));
    if (
      (nodeRevocation !== undefined && payload.i <= nodeRevocation.issuedUpTo) ||
      (sessionRevocation !== undefined && payload.i <= sessionRevocation.issuedUpTo)
    ) {
      return { ok: false, reason: "revoked" };
    }
    if (!payload.f.includes(surface)) return { ok: false, reason: "wrong_surface" };
    return { ok: true, nodeId: payload.n, sessionKey: payload.s, expiresAt: payload.exp };
  }

  /**
   * Invalidates every capability issued to the node so far (it was revoked or rejected); answers
   * the record for the other gateways of a cluster.
   */
  revokeNode(nodeId: string): CapabilityRevocation {
    return this.revoke("node", nodeId);
  }

  /** Invalidates every capability issued for one of the node's sessions so far. */
  endSession(nodeId: string, sessionKey: string): CapabilityRevocation {
    return this.revoke("session", sessionId(nodeId, sessionKey));
  }

  /**
   * Puts another gateway's revocation (or one loaded from the store) in force. Applying one twice,
   * or an older one after a newer, changes nothing; the clock moves past it so that what this
   * issuer issues from now on is not caught by it.
   */
  apply(revocation: CapabilityRevocation): void {
    // Records come from a shared store and the wire: a foreign or torn one is ignored, not trusted.
    if (!Number.isSafeInteger(revocation.issuedUpTo) || !Number.isFinite(revocation.keepUntil)) return;
    if (revocation.scope !== "node" && revocation.scope !== "session") return;
    if (typeof revocation.id !== "string") return;
    const revocations = revocation.scope === "node" ? this.nodeRevocations : this.sessionRevocations;
    const now = this.now();
    this.forgetSettledRevocations(now);
    this.clock = Math.max(this.clock, revocation.issuedUpTo);
    // Kept as long as this issuer's own tokens could be caught, whatever TTL the other one had.
    const keepUntil = Math.max(revocation.keepUntil, Math.min(revocation.issuedUpTo, now) + this.ttlMs);
    if (now >= keepUntil) return;
    const held = revocations.get(revocation.id);
    if (held && held.issuedUpTo >= revocation.issuedUpTo) return;
    revocations.set(revocation.id, { issuedUpTo: revocation.issuedUpTo, keepUntil });
  }

  private revoke(scope: "node" | "session", id: string): CapabilityRevocation {
    const issuedUpTo = this.tick();
    // By the real clock, not the tick (which may run ahead): a token it catches was issued by now.
    const keepUntil = this.now() + this.ttlMs;
    const revocation: CapabilityRevocation = { scope, id, issuedUpTo, keepUntil };
    this.apply(revocation);
    return revocation;
  }

  /** The issuer's clock: epoch ms, never the same value twice, never behind what it applied. */
  private tick(): number {
    this.clock = Math.max(this.now(), this.clock + 1);
    return this.clock;
  }

  /** A revocation kept past the TTL could only match tokens that have expired anyway. */
  private forgetSettledRevocations(now: number): void {
    for (const revocations of [this.nodeRevocations, this.sessionRevocations]) {
      for (const [id, revocation] of revocations) {
        if (now >= revocation.keepUntil) revocations.delete(id);
      }
    }
  }

  /** Revocations currently remembered (for tests and diagnostics). */
  get revocationCount(): number {
    return this.nodeRevocations.size + this.sessionRevocations.size;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body, "ascii").digest("base64url");
  }
}

function parsePayload(body: string): CapabilityPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const payload = value as Partial<CapabilityPayload>;
  const valid =
    payload.v === 2 &&
    typeof payload.n === "string" &&
    typeof payload.s === "string" &&
    Array.isArray(payload.f) &&
    payload.f.every((surface) => SURFACES.has(surface)) &&
    typeof payload.exp === "number" &&
    Number.isSafeInteger(payload.i);
  return valid ? (payload as CapabilityPayload) : undefined;
}
