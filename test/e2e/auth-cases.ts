/**
 * The auth boundary's crafted requests, as a table a reviewer can read: which gateway, what the
 * request carries, and what it must get. `auth-boundary.test.ts` sends each one over real HTTP
 * from a chosen loopback source address and checks status and reason.
 *
 * Gateways (see auth-boundary.test.ts for their configs):
 *   token     token mode, token "T0ken-for-tests-0123456789abcdef", listening on 127.0.0.1
 *   proxy     trusted-proxy mode, trustedProxies ["127.0.0.1"], allowLoopback, listening on "::"
 *             (so an IPv4 client appears as ::ffff:127.0.0.1), userHeader x-forwarded-user,
 *             requiredHeaders ["x-forwarded-proto"], allowUsers ["alice@example.com"]
 *   strict    trusted-proxy mode, trustedProxies ["127.0.0.1"], allowLoopback false
 *   elsewhere trusted-proxy mode, trustedProxies ["10.9.9.9", "fd00::/8"]: loopback is untrusted
 *   password  password mode, password "P4ss-for-tests-0123456789", listening on 127.0.0.1
 */

export type GatewayName = "token" | "password" | "proxy" | "strict" | "elsewhere";

export interface AuthCase {
  name: string;
  gateway: GatewayName;
  path?: string;
  headers?: Record<string, string | string[]>;
  /** Source address of the request (a loopback address). Default 127.0.0.1. */
  from?: string;
  expect: number;
  reason?: string;
}

export const TOKEN = "T0ken-for-tests-0123456789abcdef";
export const PASSWORD = "P4ss-for-tests-0123456789";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const STATUS = "/__openclaw__/status";
const PROXY_OK = {
  "x-forwarded-for": "203.0.113.7",
  "x-forwarded-user": "alice@example.com",
  "x-forwarded-proto": "https",
};

export const AUTH_CASES: AuthCase[] = [
  // Public probes stay public, and say nothing.
  { name: "health without credentials", gateway: "token", path: "/health", expect: 200 },
  { name: "readyz without credentials", gateway: "token", path: "/readyz", expect: 200 },
  { name: "health through an untrusted source", gateway: "elsewhere", path: "/health", expect: 200 },

  // Token mode.
  { name: "status without credentials", gateway: "token", expect: 401, reason: "missing_credentials" },
  { name: "right token", gateway: "token", headers: { authorization: `Bearer ${TOKEN}` }, expect: 200 },
  {
    name: "bearer scheme in lower case",
    gateway: "token",
    headers: { authorization: `bearer ${TOKEN}` },
    expect: 200,
  },
  {
    name: "trailing spaces after the token",
    gateway: "token",
    headers: { authorization: `Bearer ${TOKEN}   ` },
    expect: 200,
  },
  {
    name: "wrong token",
    gateway: "token",
    headers: { authorization: "Bearer nope" },
    expect: 401,
    reason: "invalid_token",
    from: "127.0.0.2",
  },
  {
    name: "empty token",
    gateway: "token",
    headers: { authorization: "Bearer " },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "scheme only",
    gateway: "token",
    headers: { authorization: "Bearer" },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "token prefix only",
    gateway: "token",
    headers: { authorization: `Bearer ${TOKEN.slice(0, 10)}` },
    expect: 401,
    reason: "invalid_token",
    from: "127.0.0.2",
  },
  {
    name: "token with an extra character",
    gateway: "token",
    headers: { authorization: `Bearer ${TOKEN}x` },
    expect: 401,
    reason: "invalid_token",
    from: "127.0.0.2",
  },
  {
    name: "token in upper case",
    gateway: "token",
    headers: { authorization: `Bearer ${TOKEN.toUpperCase()}` },
    expect: 401,
    reason: "invalid_token",
    from: "127.0.0.2",
  },
  {
    name: "token as Basic password (token mode takes Bearer)",
    gateway: "token",
    headers: { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}` },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "token in the query string is not read",
    gateway: "token",
    path: `${STATUS}?token=${TOKEN}`,
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "token in a cookie is not read",
    gateway: "token",
    headers: { cookie: `token=${TOKEN}` },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "two tokens in one header",
    gateway: "token",
    headers: { authorization: `Bearer ${TOKEN} ${TOKEN}` },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "forwarded headers do not replace a token",
    gateway: "token",
    headers: PROXY_OK,
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "agents list needs the token too",
    gateway: "token",
    path: "/__openclaw__/agents",
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "OpenAI models route needs the token",
    gateway: "token",
    path: "/v1/models",
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "OpenAI models route with the token",
    gateway: "token",
    path: "/v1/models",
    headers: { authorization: `Bearer ${TOKEN}` },
    expect: 200,
  },
  {
    name: "unknown route is still behind auth",
    gateway: "token",
    path: "/nothing-here",
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "path traversal to status",
    gateway: "token",
    path: "/health/../__openclaw__/status",
    expect: 401,
    reason: "missing_credentials",
  },

  // Capability URLs: never served to a token, an address or nothing.
  {
    name: "canvas without a capability",
    gateway: "token",
    path: "/__openclaw__/canvas/snapshot",
    expect: 401,
    reason: "capability_missing",
  },
  {
    name: "canvas with the operator token only",
    gateway: "token",
    path: "/__openclaw__/canvas/snapshot",
    headers: { authorization: `Bearer ${TOKEN}` },
    expect: 401,
    reason: "capability_missing",
  },
  {
    name: "a2ui without a capability",
    gateway: "token",
    path: "/__openclaw__/a2ui/messages",
    expect: 401,
    reason: "capability_missing",
  },
  {
    name: "canvas with a garbage capability",
    gateway: "token",
    path: "/__openclaw__/canvas/snapshot?cap=garbage",
    expect: 401,
    reason: "capability_malformed",
  },
  {
    name: "canvas with a forged capability",
    gateway: "token",
    path: "/__openclaw__/canvas/snapshot?cap=eyJub2RlSWQiOiJ4In0.AAAA",
    expect: 401,
  },
  {
    name: "canvas through a trusted proxy without a capability",
    gateway: "proxy",
    path: "/__openclaw__/canvas/snapshot",
    headers: PROXY_OK,
    expect: 401,
    reason: "capability_missing",
  },
  {
    name: "canvas from loopback, not a trusted proxy (no IP fallback)",
    gateway: "elsewhere",
    path: "/__openclaw__/canvas/snapshot",
    expect: 401,
    reason: "untrusted_source",
  },

  // Trusted proxy: accepted.
  { name: "proxy: complete request", gateway: "proxy", headers: PROXY_OK, expect: 200 },
  {
    name: "proxy: header names in odd case",
    gateway: "proxy",
    headers: {
      "X-Forwarded-For": "203.0.113.7",
      "X-FORWARDED-USER": "alice@example.com",
      "x-Forwarded-Proto": "https",
    },
    expect: 200,
  },
  {
    name: "proxy: chain of two proxies, the client first",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "203.0.113.7, 127.0.0.1" },
    expect: 200,
  },
  {
    name: "proxy: spaces around the chain",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "  203.0.113.7 ,  127.0.0.1 " },
    expect: 200,
  },
  {
    name: "proxy: IPv6 client",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "2001:db8::7" },
    expect: 200,
  },
  {
    name: "proxy: user with surrounding spaces",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-user": "  alice@example.com " },
    expect: 200,
  },
  {
    name: "proxy: reached over ::1",
    gateway: "proxy",
    from: "::1",
    headers: PROXY_OK,
    expect: 401,
    reason: "untrusted_source",
  },

  // Trusted proxy: refused.
  {
    name: "proxy: no X-Forwarded-For (the seed's 401)",
    gateway: "proxy",
    headers: { "x-forwarded-user": "alice@example.com", "x-forwarded-proto": "https" },
    expect: 401,
    reason: "missing_forwarded_for",
  },
  {
    name: "proxy: blank X-Forwarded-For",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "   " },
    expect: 401,
    reason: "missing_forwarded_for",
  },
  {
    name: "proxy: X-Forwarded-For not an address",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "evil.example" },
    expect: 401,
    reason: "invalid_forwarded_for",
  },
  {
    name: "proxy: X-Forwarded-For with a port",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "203.0.113.7:443" },
    expect: 401,
    reason: "invalid_forwarded_for",
  },
  {
    name: "proxy: X-Forwarded-For with an empty element",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "203.0.113.7,,127.0.0.1" },
    expect: 401,
    reason: "invalid_forwarded_for",
  },
  {
    name: "proxy: client claims to be loopback",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "127.0.0.1" },
    expect: 401,
    reason: "loopback_client",
  },
  {
    name: "proxy: client claims ::1",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "::1" },
    expect: 401,
    reason: "loopback_client",
  },
  {
    name: "proxy: client claims IPv4-mapped loopback",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "::ffff:127.0.0.1" },
    expect: 401,
    reason: "loopback_client",
  },
  {
    name: "proxy: spoofed client left of an untrusted loopback hop",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-for": "203.0.113.7, 127.0.0.5" },
    expect: 401,
    reason: "loopback_client",
  },
  {
    name: "proxy: missing required header",
    gateway: "proxy",
    headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-user": "alice@example.com" },
    expect: 401,
    reason: "missing_required_header",
  },
  {
    name: "proxy: blank required header",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-proto": " \t" },
    expect: 401,
    reason: "missing_required_header",
  },
  {
    name: "proxy: missing user",
    gateway: "proxy",
    headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" },
    expect: 401,
    reason: "missing_user",
  },
  {
    name: "proxy: blank user",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-user": "   " },
    expect: 401,
    reason: "missing_user",
  },
  {
    name: "proxy: two users",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-user": ["alice@example.com", "mallory@example.com"] },
    expect: 401,
    reason: "ambiguous_user",
  },
  {
    name: "proxy: user not allowed",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-user": "mallory@example.com" },
    expect: 401,
    reason: "user_not_allowed",
  },
  {
    name: "proxy: allowed user in another case",
    gateway: "proxy",
    headers: { ...PROXY_OK, "x-forwarded-user": "ALICE@example.com" },
    expect: 401,
    reason: "user_not_allowed",
  },
  {
    name: "proxy: user header under another name",
    gateway: "proxy",
    headers: {
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-proto": "https",
      "x-remote-user": "alice@example.com",
    },
    expect: 401,
    reason: "missing_user",
  },
  {
    name: "proxy: a bearer token does not replace the proxy",
    gateway: "proxy",
    headers: { authorization: "Bearer anything" },
    expect: 401,
    reason: "missing_forwarded_for",
  },
  {
    name: "strict: loopback proxy without allowLoopback",
    gateway: "strict",
    headers: PROXY_OK,
    expect: 401,
    reason: "loopback_proxy",
  },
  {
    name: "elsewhere: spoofed X-Forwarded-For from an untrusted address",
    gateway: "elsewhere",
    headers: { ...PROXY_OK, "x-forwarded-for": "10.9.9.9" },
    expect: 401,
    reason: "untrusted_source",
  },
  {
    name: "elsewhere: spoofed complete proxy headers",
    gateway: "elsewhere",
    headers: PROXY_OK,
    expect: 401,
    reason: "untrusted_source",
  },
  {
    name: "elsewhere: claims to be the proxy through Forwarded",
    gateway: "elsewhere",
    headers: { ...PROXY_OK, forwarded: "for=10.9.9.9" },
    expect: 401,
    reason: "untrusted_source",
  },
  {
    name: "elsewhere: X-Real-IP is never believed",
    gateway: "elsewhere",
    headers: { ...PROXY_OK, "x-real-ip": "10.9.9.9" },
    expect: 401,
    reason: "untrusted_source",
  },
  { name: "elsewhere: no headers at all", gateway: "elsewhere", expect: 401, reason: "untrusted_source" },

  // Password mode.
  { name: "password: nothing", gateway: "password", expect: 401, reason: "missing_credentials" },
  {
    name: "password: as a bearer credential",
    gateway: "password",
    headers: { authorization: `Bearer ${PASSWORD}` },
    expect: 200,
  },
  {
    name: "password: Basic auth, any user name",
    gateway: "password",
    headers: { authorization: basic("operator", PASSWORD) },
    expect: 200,
  },
  {
    name: "password: Basic with a wrong password",
    gateway: "password",
    headers: { authorization: basic("operator", "guess") },
    expect: 401,
    reason: "invalid_password",
    from: "127.0.0.3",
  },
  {
    name: "password: Basic without a colon",
    gateway: "password",
    headers: { authorization: `Basic ${Buffer.from(PASSWORD).toString("base64")}` },
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "password: the token of another gateway",
    gateway: "password",
    headers: { authorization: `Bearer ${TOKEN}` },
    expect: 401,
    reason: "invalid_password",
    from: "127.0.0.3",
  },

  // The seed's check through a proxy: no X-Forwarded-For, no canvas, capability or not.
  {
    name: "canvas through a trusted proxy without X-Forwarded-For",
    gateway: "proxy",
    path: "/__openclaw__/canvas/snapshot",
    headers: { "x-forwarded-user": "alice@example.com", "x-forwarded-proto": "https" },
    expect: 401,
    reason: "missing_forwarded_for",
  },
];
