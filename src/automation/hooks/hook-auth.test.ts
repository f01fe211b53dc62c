import { describe, expect, it } from "vitest";
import {
  HOOK_AUTH_RATE_LIMIT,
  type HookAttempt,
  HookAuthenticator,
  type HookAuthOutcome,
  presentedHookToken,
} from "./hook-auth.js";

const HOOK_TOKEN = "hook-Token-0123456789abcdefghijklmnop";
const GATEWAY_TOKEN = "gateway-Token-0123456789abcdefghijkl";

function authenticator(overrides: { enabled?: boolean; token?: string | undefined } = {}) {
  let now = 1_000_000;
  const auth = new HookAuthenticator({
    enabled: () => overrides.enabled ?? true,
    token: () => ("token" in overrides ? overrides.token : HOOK_TOKEN),
    gatewaySecrets: () => [GATEWAY_TOKEN, undefined],
    now: () => now,
  });
  // Alone (no cluster) it answers synchronously: the hook route's fast path relies on it.
  const sync = {
    authenticate(request: HookAttempt): HookAuthOutcome {
      const outcome = auth.authenticate(request);
      if (outcome instanceof Promise) throw new Error("a hook authenticator alone answered a promise");
      return outcome;
    },
  };
  return { auth: sync, advance: (ms: number) => (now += ms) };
}

const attempt = (
  headers: Record<string, string | string[]>,
  options: { from?: string; query?: string } = {},
) => ({
  socketAddress: options.from ?? "127.0.0.1",
  headers,
  query: options.query ?? "",
});

describe("presentedHookToken", () => {
  it("takes a nonempty Bearer first, else x-openclaw-token", () => {
    expect(presentedHookToken({ authorization: "Bearer a", "x-openclaw-token": "b" })).toBe("a");
    expect(presentedHookToken({ authorization: "bearer   a  " })).toBe("a");
    expect(presentedHookToken({ authorization: "Bearer ", "x-openclaw-token": "b" })).toBe("b");
    expect(presentedHookToken({ "x-openclaw-token": " b " })).toBe("b");
    expect(presentedHookToken({ authorization: "Basic YTpi" })).toBeUndefined();
    expect(presentedHookToken({ "x-openclaw-token": ["a", "b"] as unknown as string })).toBeUndefined();
    expect(presentedHookToken({})).toBeUndefined();
  });
});

describe("HookAuthenticator", () => {
  it("admits the hook token in either header", () => {
    const { auth } = authenticator();
    expect(auth.authenticate(attempt({ authorization: `Bearer ${HOOK_TOKEN}` }))).toEqual({ ok: true });
    expect(auth.authenticate(attempt({ "x-openclaw-token": HOOK_TOKEN }))).toEqual({ ok: true });
  });

  it("refuses a missing, wrong, or gateway token with 401", () => {
    const { auth } = authenticator();
    expect(auth.authenticate(attempt({}))).toMatchObject({
      ok: false,
      status: 401,
      reason: "missing_credentials",
    });
    for (const token of [
      GATEWAY_TOKEN,
      `${HOOK_TOKEN}x`,
      HOOK_TOKEN.slice(0, -1),
      HOOK_TOKEN.toUpperCase(),
    ]) {
      expect(auth.authenticate(attempt({ authorization: `Bearer ${token}` }))).toMatchObject({
        ok: false,
        status: 401,
        reason: "invalid_token",
      });
    }
  });

  it("answers 404 while hooks are disabled, whatever is presented", () => {
    const { auth } = authenticator({ enabled: false });
    expect(auth.authenticate(attempt({ authorization: `Bearer ${HOOK_TOKEN}` }))).toMatchObject({
      status: 404,
    });
  });

  it("refuses a token in the query string with 400, even beside a valid header", () => {
    const { auth } = authenticator();
    expect(
      auth.authenticate(attempt({ authorization: `Bearer ${HOOK_TOKEN}` }, { query: `token=${HOOK_TOKEN}` })),
    ).toMatchObject({ status: 400, reason: "token_in_query" });
  });

  it("says once why the token is unusable", () => {
    const causes: string[] = [];
    const auth = new HookAuthenticator({
      enabled: () => true,
      token: () => GATEWAY_TOKEN,
      gatewaySecrets: () => [GATEWAY_TOKEN],
      onUnusableToken: (cause) => causes.push(cause),
    });
    auth.authenticate(attempt({ authorization: `Bearer ${GATEWAY_TOKEN}` }));
    auth.authenticate(attempt({}));
    expect(causes).toEqual(["same-as-gateway"]);
  });

  it("opens nothing when the hook token is the gateway's own (or unset)", () => {
    for (const token of [GATEWAY_TOKEN, undefined, ""]) {
      const { auth } = authenticator({ token });
      expect(auth.authenticate(attempt({ authorization: `Bearer ${token ?? ""}` }))).toMatchObject({
        ok: false,
        status: 401,
      });
      expect(auth.authenticate(attempt({ authorization: `Bearer ${GATEWAY_TOKEN}` }))).toMatchObject({
        ok: false,
      });
    }
  });

  it("throttles a client after 20 failures in a minute; the right strong token still passes", () => {
    const { auth, advance } = authenticator();
    const statuses: number[] = [];
    for (let index = 0; index < HOOK_AUTH_RATE_LIMIT.maxAttempts + 1; index++) {
      const outcome = auth.authenticate(
        attempt({ authorization: `Bearer wrong-${index}` }, { from: "127.0.0.5" }),
      );
      statuses.push(outcome.ok ? 200 : outcome.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    const throttled = auth.authenticate(attempt({ authorization: "Bearer again" }, { from: "::1" }));
    expect(throttled).toMatchObject({ status: 429 });
    expect(throttled.ok === false && throttled.retryAfterMs).toBeGreaterThan(0);
    expect(statuses[20]).toBe(429);
    // Another host is not held up by this one.
    expect(
      auth.authenticate(attempt({ authorization: "Bearer wrong" }, { from: "192.0.2.1" })),
    ).toMatchObject({
      status: 401,
    });
    expect(
      auth.authenticate(attempt({ authorization: `Bearer ${HOOK_TOKEN}` }, { from: "127.0.0.5" })),
    ).toEqual({
      ok: true,
    });
    // Valid authentication cleared the counter.
    expect(
      auth.authenticate(attempt({ authorization: "Bearer wrong" }, { from: "127.0.0.5" })),
    ).toMatchObject({
      status: 401,
    });
    advance(HOOK_AUTH_RATE_LIMIT.lockoutMs + 1);
  });

  it("keeps a weak token locked out even for the right value", () => {
    let now = 0;
    const auth = new HookAuthenticator({
      enabled: () => true,
      token: () => "short",
      gatewaySecrets: () => [],
      now: () => now,
    });
    for (let index = 0; index < HOOK_AUTH_RATE_LIMIT.maxAttempts; index++) {
      auth.authenticate(attempt({ authorization: `Bearer guess${index}` }));
    }
    expect(auth.authenticate(attempt({ authorization: "Bearer short" }))).toMatchObject({ status: 429 });
    now += HOOK_AUTH_RATE_LIMIT.lockoutMs + 1;
    expect(auth.authenticate(attempt({ authorization: "Bearer short" }))).toEqual({ ok: true });
  });
});
