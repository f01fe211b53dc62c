import { describe, expect, it } from "vitest";
import {
  type AuthAttempt,
  Authenticator,
  type AuthOutcome,
  type AuthSettings,
  estimatedBits,
  limiterKey,
} from "./authenticator.js";

/** An Authenticator alone (no cluster): it must answer synchronously, as the fast path relies on. */
interface SyncAuthenticator {
  authenticate(attempt: AuthAttempt): AuthOutcome;
}

function authenticator(overrides: Partial<AuthSettings>, refusals: string[]): SyncAuthenticator {
  const auth = new Authenticator({
    mode: "token",
    token: () => "the-right-token-0123456789abcdef",
    password: () => undefined,
    trustedProxies: ["127.0.0.1"],
    trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: [], allowLoopback: true },
    rateLimit: { maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000 },
    onRefusal: (reason) => refusals.push(reason),
    ...overrides,
  });
  return {
    authenticate(attempt) {
      const outcome = auth.authenticate(attempt);
      if (outcome instanceof Promise) throw new Error("an authenticator alone answered a promise");
      return outcome;
    },
  };
}

describe("Authenticator refusal reasons (read by doctor through the status report)", () => {
  it("reports each refusal's reason, the lockout included, and nothing for an accepted request", () => {
    const refusals: string[] = [];
    const auth = authenticator({}, refusals);
    const attempt = (authorization?: string) =>
      auth.authenticate({ socketAddress: "10.0.0.9", headers: authorization ? { authorization } : {} });
    expect(attempt("Bearer the-right-token-0123456789abcdef").ok).toBe(true);
    attempt();
    attempt("Bearer wrong");
    attempt("Bearer wrong");
    attempt("Bearer wrong-again");
    expect(refusals).toEqual(["missing_credentials", "invalid_token", "invalid_token", "rate_limited"]);
  });

  it("reports a trusted proxy's request without X-Forwarded-For as missing_forwarded_for", () => {
    const refusals: string[] = [];
    const auth = authenticator({ mode: "trusted-proxy" }, refusals);
    const outcome = auth.authenticate({
      socketAddress: "127.0.0.1",
      headers: { "x-forwarded-user": "alice" },
    });
    expect(outcome).toMatchObject({ ok: false, status: 401, reason: "missing_forwarded_for" });
    const passed = auth.authenticate({
      socketAddress: "127.0.0.1",
      headers: { "x-forwarded-user": "alice", "x-forwarded-for": "192.168.1.100" },
    });
    expect(passed.ok).toBe(true);
    expect(refusals).toEqual(["missing_forwarded_for"]);
  });
});

const STRONG = "the-right-token-0123456789abcdef";
const LOCAL = "local-cli-token-Zk3v9Qp2Lm8Xr5Tn7Wc4Bd6Fh1Gj0Ks";

function lockOut(auth: SyncAuthenticator, address: string): void {
  for (let index = 0; index < 2; index++) {
    auth.authenticate({ socketAddress: address, headers: { authorization: `Bearer wrong-${index}` } });
  }
}

describe("Authenticator lockout", () => {
  it("counts every loopback address as one client: rotating 127.0.0.x gains no guesses", () => {
    const auth = authenticator({}, []);
    auth.authenticate({ socketAddress: "127.0.0.2", headers: { authorization: "Bearer wrong-1" } });
    auth.authenticate({ socketAddress: "::ffff:127.0.0.3", headers: { authorization: "Bearer wrong-2" } });
    for (const address of ["127.0.0.4", "127.255.0.9", "::1", "::ffff:127.0.0.1"]) {
      expect(
        auth.authenticate({ socketAddress: address, headers: { authorization: "Bearer wrong-3" } }),
      ).toMatchObject({ ok: false, status: 429, reason: "rate_limited" });
    }
  });

  it("counts an IPv6 /64 as one client", () => {
    const auth = authenticator({}, []);
    lockOut(auth, "2001:db8:1:2::1");
    expect(
      auth.authenticate({ socketAddress: "2001:db8:1:2:ffff:1:2:3", headers: { authorization: "Bearer x" } }),
    ).toMatchObject({ status: 429 });
    expect(
      auth.authenticate({ socketAddress: "2001:db8:1:3::1", headers: { authorization: "Bearer x" } }),
    ).toMatchObject({ status: 401 });
  });

  it("still admits the local CLI token and a strong right token from a locked address", () => {
    const refusals: string[] = [];
    const auth = authenticator({ localToken: LOCAL }, refusals);
    lockOut(auth, "127.0.0.1");
    expect(
      auth.authenticate({ socketAddress: "127.0.0.5", headers: { authorization: `Bearer ${LOCAL}` } }),
    ).toMatchObject({ ok: true, principal: { via: "local" } });
    expect(
      auth.authenticate({ socketAddress: "127.0.0.5", headers: { authorization: `Bearer ${STRONG}` } }),
    ).toMatchObject({ ok: true, principal: { via: "token" } });
    // A wrong guess is still refused without being checked, and the lock stays.
    expect(
      auth.authenticate({ socketAddress: "127.0.0.5", headers: { authorization: `Bearer ${STRONG}x` } }),
    ).toMatchObject({ ok: false, status: 429 });
  });

  it("keeps a weak token and any password locked out, the right one included", () => {
    const weak = authenticator({ token: () => "letmein1" }, []);
    lockOut(weak, "10.1.1.1");
    expect(
      weak.authenticate({ socketAddress: "10.1.1.1", headers: { authorization: "Bearer letmein1" } }),
    ).toMatchObject({ status: 429 });
    const password = authenticator({ mode: "password", password: () => STRONG }, []);
    lockOut(password, "10.1.1.1");
    expect(
      password.authenticate({ socketAddress: "10.1.1.1", headers: { authorization: `Bearer ${STRONG}` } }),
    ).toMatchObject({ status: 429 });
  });

  it("keys addresses as one host each", () => {
    expect(limiterKey("127.0.0.1")).toBe(limiterKey("127.9.9.9"));
    expect(limiterKey("::1")).toBe("loopback");
    expect(limiterKey("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(limiterKey("2001:DB8::1")).toBe("2001:0db8:0000:0000::/64");
    expect(limiterKey("10.0.0.1")).not.toBe(limiterKey("10.0.0.2"));
  });

  it("estimates generated tokens as strong and short or repetitive ones as weak", () => {
    expect(estimatedBits("Zk3v9Qp2Lm8Xr5Tn7Wc4Bd6Fh1Gj0KsQ2w9E1r7Y")).toBeGreaterThan(128);
    expect(estimatedBits("letmein1")).toBeLessThan(128);
    expect(estimatedBits("a".repeat(64))).toBeLessThan(128);
  });
});
