import { createHmac, randomBytes } from "node:crypto";
import { OpenClawError } from "../errors.js";
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
  v: 1;
  /** nodeId */
  n: string;
  /** sessionKey */
  s: string;
  /** surfaces */
  f: CapabilitySurface[];
  exp: number;
  /** Issuer generation when issued; see `CapabilityIssuer`. */
  g: number;
}

interface Revocation {
  /** Tokens issued at a generation below this one are revoked. */
  generation: number;
  at: number;
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
 * Revocation is by generation: the issuer has one counter, each token carries the value it had
 * when issued, and `revokeNode` / `endSession` bump it and remember it for the node or the
 * session. A token older than the remembered value is revoked, so one call invalidates every
 * token issued before it, with nothing stored per token. A remembered value is forgotten once
 * every token it could revoke has expired, which keeps memory bounded by recent revocations.
 */
export class CapabilityIssuer {
  private readonly key: Buffer;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private generation = 0;
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
      v: 1,
      n: grant.nodeId,
      s: grant.sessionKey,
      f: surfaces,
      exp: expiresAt,
      g: this.generation,
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
      (nodeRevocation !== undefined && payload.g < nodeRevocation.generation) ||
      (sessionRevocation !== undefined && payload.g < sessionRevocation.generation)
    ) {
      return { ok: false, reason: "revoked" };
    }
    if (!payload.f.includes(surface)) return { ok: false, reason: "wrong_surface" };
    return { ok: true, nodeId: payload.n, sessionKey: payload.s, expiresAt: payload.exp };
  }

  /** Invalidates every capability issued to the node so far (it was revoked or rejected). */
  revokeNode(nodeId: string): void {
    this.revoke(this.nodeRevocations, nodeId);
  }

  /** Invalidates every capability issued for one of the node's sessions so far. */
  endSession(nodeId: string, sessionKey: string): void {
    this.revoke(this.sessionRevocations, sessionId(nodeId, sessionKey));
  }

  private revoke(revocations: Map<string, Revocation>, id: string): void {
    const now = this.now();
    this.forgetSettledRevocations(now);
    this.generation += 1;
    revocations.set(id, { generation: this.generation, at: now });
  }

  /** A revocation older than the TTL can only match tokens that have expired anyway. */
  private forgetSettledRevocations(now: number): void {
    for (const revocations of [this.nodeRevocations, this.sessionRevocations]) {
      for (const [id, revocation] of revocations) {
        if (now >= revocation.at + this.ttlMs) revocations.delete(id);
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
    payload.v === 1 &&
    typeof payload.n === "string" &&
    typeof payload.s === "string" &&
    Array.isArray(payload.f) &&
    payload.f.every((surface) => SURFACES.has(surface)) &&
    typeof payload.exp === "number" &&
    Number.isSafeInteger(payload.g);
  return valid ? (payload as CapabilityPayload) : undefined;
}
