import { describe, expect, it } from "vitest";
import { Authenticator, type AuthSettings } from "./authenticator.js";

function authenticator(overrides: Partial<AuthSettings>, refusals: string[]): Authenticator {
  return new Authenticator({
    mode: "token",
    token: () => "the-right-token-0123456789abcdef",
    password: () => undefined,
    trustedProxies: ["127.0.0.1"],
    trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: [], allowLoopback: true },
    rateLimit: { maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000 },
    onRefusal: (reason) => refusals.push(reason),
    ...overrides,
  });
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
    attempt("Bearer the-right-token-0123456789abcdef");
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
