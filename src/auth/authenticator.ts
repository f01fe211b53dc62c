import type { IncomingHttpHeaders } from "node:http";
import { isIPv6 } from "node:net";
import type { ClusterFailureLimiter } from "./cluster-failure-limiter.js";
import { ConfiguredSecret, PresentedSecret } from "./constant-time.js";
import { FailureRateLimiter } from "./rate-limiter.js";
import { compileTrustedProxyPolicy, type TrustedProxyPolicy } from "./trusted-proxy.js";

export type AuthMode = "none" | "token" | "password" | "trusted-proxy";

export interface AuthSettings {
  mode: AuthMode;
  /** The local CLI's per-run token, accepted from loopback clients whatever the mode. */
  localToken?: string;
  /** Current values, read at each request so that a rotated secret applies at once. */
  token: () => string | undefined;
  password: () => string | undefined;
  trustedProxies: string[];
  trustedProxy: Omit<TrustedProxyPolicy, "trustedProxies">;
  rateLimit: { maxAttempts: number; windowMs: number; lockoutMs: number };
  /**
   * Failures counted for the whole cluster (a shared storage): token and password failures go
   * there instead of to this process's limiter, and `authenticate` may then answer a promise.
   */
  clusterFailures?: ClusterFailureLimiter;
  /** Told the reason code of every refusal, so that operators can see why clients are turned away. */
  onRefusal?: (reason: string) => void;
}

export interface Principal {
  via: AuthMode | "local";
  /** The user a trusted proxy vouched for. */
  user?: string;
  clientAddress: string;
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 429; reason: string; message: string; retryAfterMs?: number };

/** What a client presented: an HTTP request's headers, or a WebSocket connect's `auth`. */
export interface AuthAttempt {
  socketAddress: string;
  headers: IncomingHttpHeaders;
  /** From the WebSocket `connect` params; HTTP requests carry credentials in headers. */
  connectAuth?: { token?: string; password?: string };
}

function isLoopback(address: string): boolean {
  const lower = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, "");
  return lower === "::1" || /^127\.\d+\.\d+\.\d+$/.test(lower);
}

/**
 * The key failures are counted under. One host is one key, however many of its addresses it
 * uses: every loopback address (127.0.0.0/8 and ::1) is this machine, and an IPv6 client
 * controls at least its /64. An IPv4 address elsewhere stays its own key (NAT puts many users
 * behind one, so a wider key would lock out the neighbours).
 */
export function limiterKey(address: string): string {
  const lower = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isLoopback(lower)) return "loopback";
  if (isIPv6(lower)) {
    const groups = expandIPv6(lower);
    return groups ? `${groups.slice(0, 4).join(":")}::/64` : lower;
  }
  return lower;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function expandIPv6(address: string): string[] | undefined {
  const bare = address.replace(/%.*$/, "");
  const [head = "", tail] = bare.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  if (tailGroups.some((group) => group.includes("."))) return undefined;
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...headGroups, ...Array(missing).fill("0"), ...tailGroups].map((group) => group.padStart(4, "0"));
}

/** Below this, a token is treated like a password: the lockout holds even for the right one. */
const STRONG_TOKEN_BITS = 128;

/** A conservative strength estimate: length times log2 of the alphabet its characters use. */
export function estimatedBits(secret: string): number {
  let alphabet = 0;
  if (/[a-z]/.test(secret)) alphabet += 26;
  if (/[A-Z]/.test(secret)) alphabet += 26;
  if (/[0-9]/.test(secret)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(secret)) alphabet += 33;
  // Repeats make the length worth less: count distinct characters, at most the length.
  const distinct = new Set(secret).size;
  return Math.min(secret.length, distinct * 2) * Math.log2(Math.max(alphabet, 2));
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** The credential of an HTTP request: `Authorization: Bearer`, or the password of Basic auth. */
function presentedSecret(attempt: AuthAttempt, kind: "token" | "password"): string | undefined {
  const fromConnect = attempt.connectAuth?.[kind];
  if (typeof fromConnect === "string") return fromConnect;
  const authorization = headerValue(attempt.headers, "authorization");
  if (!authorization) return undefined;
  const bearer = BEARER.exec(authorization);
  if (bearer) return bearer[1];
  const basic = kind === "password" ? BASIC.exec(authorization) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/**
 * The one auth boundary: every HTTP request and every WebSocket `connect` is judged here, by the
 * configured mode. Failed attempts are counted per client address and lock it out for a while
 * (429), so a token cannot be guessed online. Refusals carry a stable reason code and never echo
 * what the client sent.
 *
 * Alone, the gateway counts in memory and answers synchronously. In a cluster the count is the
 * cluster's (ClusterFailureLimiter): a strong token is still let in without a round trip, the
 * rest asks the shared store whether the address is locked and records its failure there.
 */
export class Authenticator {
  private readonly proxy;
  private readonly limiter: FailureRateLimiter;
  // Every request is checked against these: their digests are kept, not made per request.
  private readonly localSecret = new ConfiguredSecret();
  private readonly sharedSecret = new ConfiguredSecret();

  constructor(private readonly settings: AuthSettings) {
    this.proxy =
      settings.mode === "trusted-proxy"
        ? compileTrustedProxyPolicy({ ...settings.trustedProxy, trustedProxies: settings.trustedProxies })
        : undefined;
    this.limiter = new FailureRateLimiter(settings.rateLimit);
  }

  get mode(): AuthMode {
    return this.settings.mode;
  }

  authenticate(attempt: AuthAttempt): AuthOutcome | Promise<AuthOutcome> {
    // The presented token is read and hashed once, whichever checks below compare it.
    let token: PresentedSecret | null | undefined;
    const presentedToken = () => {
      if (token === undefined) {
        const value = presentedSecret(attempt, "token");
        token = value === undefined ? null : new PresentedSecret(value);
      }
      return token ?? undefined;
    };
    // The local CLI's per-run token is 256 random bits, readable only in the state dir: checked
    // before the limiter, so that a process on this host that burns the loopback budget cannot
    // lock the operator's own `openclaw` commands out.
    const local = this.localPrincipal(attempt, presentedToken);
    if (local) return local;
    const key = limiterKey(attempt.socketAddress);
    const { clusterFailures } = this.settings;
    // Only token and password failures are ever counted: the other modes have nothing to share.
    if (clusterFailures && (this.settings.mode === "token" || this.settings.mode === "password"))
      return this.authenticateInCluster(attempt, key, clusterFailures, presentedToken);
    const gate = this.limiter.check(key);
    if (!gate.allowed && this.strongTokenMatches(presentedToken)) {
      // Nobody guesses 128 bits online, so for a strong token the lockout only sheds load: the
      // one who holds it is let in, everyone else still gets 429 without their guess counted.
      return { ok: true, principal: { via: "token", clientAddress: attempt.socketAddress } };
    }
    if (!gate.allowed) return this.rateLimited(gate.retryAfterMs);
    const outcome = this.judge(attempt, presentedToken);
    // Only a guessable secret is worth locking out for. A trusted-proxy refusal is the proxy's
    // doing (a missing header), and counting it against the proxy's address would lock out
    // every user behind it.
    if (!outcome.ok && outcome.reason !== "missing_credentials" && this.settings.mode !== "trusted-proxy") {
      const after = this.limiter.recordFailure(key);
      if (after.locked) outcome.retryAfterMs = after.retryAfterMs;
    } else if (outcome.ok) {
      this.limiter.recordSuccess(key);
    }
    if (!outcome.ok) this.settings.onRefusal?.(outcome.reason);
    return outcome;
  }

  /** `authenticate` with the cluster's count: the same rules, the store asked in place of memory. */
  private async authenticateInCluster(
    attempt: AuthAttempt,
    key: string,
    failures: ClusterFailureLimiter,
    presentedToken: () => PresentedSecret | undefined,
  ): Promise<AuthOutcome> {
    // A strong token opens even a locked address (see above): no round trip for the common case.
    if (this.strongTokenMatches(presentedToken))
      return { ok: true, principal: { via: "token", clientAddress: attempt.socketAddress } };
    const gate = await failures.check(key);
    if (!gate.allowed) return this.rateLimited(gate.retryAfterMs);
    const outcome = this.judge(attempt, presentedToken);
    if (!outcome.ok && outcome.reason !== "missing_credentials") {
      const after = await failures.recordFailure(key, this.settings.rateLimit);
      if (after.locked) outcome.retryAfterMs = after.retryAfterMs;
    } else if (outcome.ok) {
      await failures.recordSuccess(key);
    }
    if (!outcome.ok) this.settings.onRefusal?.(outcome.reason);
    return outcome;
  }

  private rateLimited(retryAfterMs: number): AuthOutcome {
    this.settings.onRefusal?.("rate_limited");
    return {
      ok: false,
      status: 429,
      reason: "rate_limited",
      message: "too many failed authentication attempts from this address",
      retryAfterMs,
    };
  }

  private localPrincipal(
    attempt: AuthAttempt,
    presentedToken: () => PresentedSecret | undefined,
  ): AuthOutcome | undefined {
    const { localToken } = this.settings;
    if (!localToken || !isLoopback(attempt.socketAddress)) return undefined;
    const presented = presentedToken();
    if (presented === undefined || !this.localSecret.matches(presented, localToken)) return undefined;
    return { ok: true, principal: { via: "local", clientAddress: attempt.socketAddress } };
  }

  /** Token mode, a token of at least 128 bits, and the client presented exactly it. */
  private strongTokenMatches(presentedToken: () => PresentedSecret | undefined): boolean {
    if (this.settings.mode !== "token") return false;
    const expected = this.settings.token();
    if (expected === undefined || estimatedBits(expected) < STRONG_TOKEN_BITS) return false;
    const presented = presentedToken();
    return presented !== undefined && this.sharedSecret.matches(presented, expected);
  }

  private judge(attempt: AuthAttempt, presentedToken: () => PresentedSecret | undefined): AuthOutcome {
    const clientAddress = attempt.socketAddress;
    switch (this.settings.mode) {
      case "none":
        return { ok: true, principal: { via: "none", clientAddress } };
      case "token":
      case "password": {
        const kind = this.settings.mode;
        const expected = kind === "token" ? this.settings.token() : this.settings.password();
        const presented =
          kind === "token" ? presentedToken() : new PresentedSecret(presentedSecret(attempt, kind) ?? "");
        if (presented === undefined || presented.value === "") {
          return {
            ok: false,
            status: 401,
            reason: "missing_credentials",
            message:
              kind === "token"
                ? "authentication required: send Authorization: Bearer <token> (see `openclaw gateway token`)"
                : "authentication required: send the gateway password (Authorization: Bearer or Basic)",
          };
        }
        if (expected === undefined || !this.sharedSecret.matches(presented, expected)) {
          return { ok: false, status: 401, reason: `invalid_${kind}`, message: `invalid ${kind}` };
        }
        return { ok: true, principal: { via: kind, clientAddress } };
      }
      case "trusted-proxy": {
        const decision = this.proxy?.evaluate({
          socketAddress: attempt.socketAddress,
          headers: attempt.headers,
        });
        if (!decision?.ok) {
          return {
            ok: false,
            status: 401,
            reason: decision?.reason ?? "untrusted_source",
            message: decision?.message ?? "not a trusted proxy",
          };
        }
        return {
          ok: true,
          principal: { via: "trusted-proxy", user: decision.user, clientAddress: decision.clientAddress },
        };
      }
    }
  }
}
