import type { IncomingHttpHeaders } from "node:http";
import { estimatedBits, limiterKey } from "../../auth/authenticator.js";
import { type ClusterFailureLimiter, FailureRateLimiter, safeEqual } from "../../auth/index.js";

/** OpenClaw's hook throttle: 20 failed attempts in 60 s, then 429 with Retry-After. */
export const HOOK_AUTH_RATE_LIMIT = { maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000 };

/** Below this a hook token is guessable: a locked-out client is refused even with the right one. */
const STRONG_TOKEN_BITS = 128;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export interface HookAttempt {
  socketAddress: string;
  headers: IncomingHttpHeaders;
  /** The request's query string (without `?`), where OpenClaw refuses a `token`. */
  query: string;
}

export type HookAuthOutcome =
  | { ok: true }
  | {
      ok: false;
      status: 400 | 401 | 404 | 429;
      reason: string;
      message: string;
      hint?: string;
      retryAfterMs?: number;
    };

export interface HookAuthOptions {
  /** Whether `hooks.enabled` is set now (read per request: a reload applies at once). */
  enabled(): boolean;
  /** The hook token's current value (a rotated secret applies at once); undefined when unset. */
  token(): string | undefined;
  /** The gateway's own token or password: a hook token equal to it is refused. */
  gatewaySecrets(): readonly (string | undefined)[];
  /** Told once per cause why hooks have no usable token (for the operator's log; never a value). */
  onUnusableToken?: (cause: "unset" | "same-as-gateway") => void;
  /**
   * Failures counted for the whole cluster (a shared storage) in place of this process's
   * limiter; `authenticate` may then answer a promise.
   */
  clusterFailures?: ClusterFailureLimiter;
  now?: () => number;
}

/** The token a request presented: a nonempty Bearer first, else `x-openclaw-token` (OpenClaw's order). */
export function presentedHookToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  const bearer = typeof authorization === "string" ? BEARER.exec(authorization)?.[1] : undefined;
  if (bearer) return bearer;
  const header = headers["x-openclaw-token"];
  // Two x-openclaw-token headers are ambiguous: neither is read.
  if (typeof header === "string" && header.trim()) return header.trim();
  return undefined;
}

function hasTokenQuery(query: string): boolean {
  return new URLSearchParams(query).has("token");
}

/**
 * The hook routes' own authentication, separate from the gateway's: the hook token opens only
 * `hooks.path`, and nothing the gateway accepts (its token, password, the local CLI token, a
 * trusted proxy's headers) opens it. Compared in constant time; failures are counted per client
 * host on a limiter of its own, so that a sender retrying a bad token cannot lock operators out.
 */
export class HookAuthenticator {
  private readonly limiter: FailureRateLimiter;
  private readonly warned = new Set<string>();

  constructor(private readonly options: HookAuthOptions) {
    this.limiter = new FailureRateLimiter({
      ...HOOK_AUTH_RATE_LIMIT,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  authenticate(attempt: HookAttempt): HookAuthOutcome | Promise<HookAuthOutcome> {
    if (!this.options.enabled()) {
      // OpenClaw: disabled hooks are no route at all.
      return { ok: false, status: 404, reason: "hooks_disabled", message: "no route here" };
    }
    if (hasTokenQuery(attempt.query)) {
      // A token in a URL ends up in proxy and access logs: refused even beside a valid header.
      return {
        ok: false,
        status: 400,
        reason: "token_in_query",
        message: "a hook token in the query string is refused",
        hint: "send it as Authorization: Bearer <token> or x-openclaw-token",
      };
    }
    const expected = this.expectedToken();
    const key = limiterKey(attempt.socketAddress);
    const presented = presentedHookToken(attempt.headers);
    const matches = expected !== undefined && presented !== undefined && safeEqual(presented, expected);
    const weak = expected === undefined || estimatedBits(expected) < STRONG_TOKEN_BITS;
    const { clusterFailures } = this.options;
    if (clusterFailures)
      return this.judgeInCluster(clusterFailures, key, { expected, presented, matches, weak });
    const lock = this.limiter.check(key);
    if (!lock.allowed && weak) return this.throttled(lock.retryAfterMs);
    if (matches) {
      this.limiter.recordSuccess(key);
      return { ok: true };
    }
    if (!lock.allowed) return this.throttled(lock.retryAfterMs);
    // The failure that reaches the limit is still answered 401; the next one gets the 429.
    this.limiter.recordFailure(key);
    return this.refused(expected, presented);
  }

  /** The same rules with the cluster's count: a strong right token needs no round trip. */
  private async judgeInCluster(
    failures: ClusterFailureLimiter,
    key: string,
    attempt: { expected: string | undefined; presented: string | undefined; matches: boolean; weak: boolean },
  ): Promise<HookAuthOutcome> {
    if (attempt.matches && !attempt.weak) return { ok: true };
    const lock = await failures.check(key);
    if (!lock.allowed) return this.throttled(lock.retryAfterMs);
    if (attempt.matches) {
      await failures.recordSuccess(key);
      return { ok: true };
    }
    await failures.recordFailure(key, HOOK_AUTH_RATE_LIMIT);
    return this.refused(attempt.expected, attempt.presented);
  }

  private refused(expected: string | undefined, presented: string | undefined): HookAuthOutcome {
    if (expected === undefined) {
      return {
        ok: false,
        status: 401,
        reason: "hook_token_unusable",
        message: "hooks have no usable token",
        hint: "set hooks.token to a secret of its own (not the gateway token), then reload",
      };
    }
    return {
      ok: false,
      status: 401,
      reason: presented === undefined ? "missing_credentials" : "invalid_token",
      message: presented === undefined ? "a hook token is required" : "the hook token is not valid",
      hint: "send hooks.token as Authorization: Bearer <token> or x-openclaw-token (not the gateway token)",
    };
  }

  /** The hook token, unless it is unset or the same as a gateway secret (it would open everything). */
  private expectedToken(): string | undefined {
    const token = this.options.token();
    if (token === undefined || token === "") return this.unusable("unset");
    for (const secret of this.options.gatewaySecrets()) {
      if (secret !== undefined && safeEqual(token, secret)) return this.unusable("same-as-gateway");
    }
    return token;
  }

  private unusable(cause: "unset" | "same-as-gateway"): undefined {
    if (!this.warned.has(cause)) {
      this.warned.add(cause);
      this.options.onUnusableToken?.(cause);
    }
    return undefined;
  }

  private throttled(retryAfterMs: number): HookAuthOutcome {
    return {
      ok: false,
      status: 429,
      reason: "rate_limited",
      message: "too many failed hook authentications",
      hint: "fix the hook token and retry after Retry-After",
      retryAfterMs,
    };
  }
}
