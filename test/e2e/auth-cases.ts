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
 *   none      auth mode "none" on 127.0.0.1: what DNS rebinding and cross-site pages aim at
 *
 * The hand-written cases come first; after them, cases generated from the lists of routes and
 * header spellings an attacker would try (every route × every Upgrade/Connection spelling,
 * every method, path spellings, Host names, browser origins).
 */

import { hookAuthCases } from "./hook-auth-cases.js";

export type GatewayName = "token" | "password" | "proxy" | "strict" | "elsewhere" | "none";

export interface AuthCase {
  name: string;
  gateway: GatewayName;
  /** Default GET. */
  method?: string;
  path?: string;
  /**
   * Sent as given; `{origin}` in a value becomes the gateway's own origin
   * (`http://127.0.0.1:<port>`) and `{host}` its own Host (`127.0.0.1:<port>`).
   */
  headers?: Record<string, string | string[]>;
  body?: string;
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

const HAND_WRITTEN: AuthCase[] = [
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
    name: "MCP initialize without credentials",
    gateway: "token",
    method: "POST",
    path: "/mcp",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"0"}}}',
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "MCP initialize with the token opens a session",
    gateway: "token",
    method: "POST",
    path: "/mcp",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"0"}}}',
    expect: 200,
  },
  {
    name: "MCP with a made-up Mcp-Session-Id and no token",
    gateway: "token",
    method: "POST",
    path: "/mcp",
    headers: {
      "mcp-session-id": "00000000-0000-0000-0000-000000000000",
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    expect: 401,
    reason: "missing_credentials",
  },
  {
    name: "MCP over the trusted proxy without its headers",
    gateway: "strict",
    method: "POST",
    path: "/mcp",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: '{"jsonrpc":"2.0","id":1,"method":"initialize"}',
    expect: 401,
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

/** Every route the gateway serves to operators, as an attacker would list them. */
const OPERATOR_ROUTES: [method: string, path: string][] = [
  ["GET", STATUS],
  ["GET", "/__openclaw__/agents"],
  ["GET", "/__openclaw__/agents/main"],
  ["POST", "/__openclaw__/agents/main/kill"],
  ["POST", "/__openclaw__/agents/main/restart"],
  ["POST", "/__openclaw__/agents/main/heap-snapshot"],
  ["GET", "/__openclaw__/secrets"],
  ["POST", "/__openclaw__/secrets/reload"],
  ["GET", "/__openclaw__/nodes"],
  ["GET", "/__openclaw__/memory"],
  ["GET", "/__openclaw__/usage"],
  ["GET", "/__openclaw__/cron"],
  ["POST", "/__openclaw__/cron"],
  ["POST", "/__openclaw__/cron/edit"],
  ["POST", "/__openclaw__/cron/remove"],
  ["POST", "/__openclaw__/cron/run"],
  ["GET", "/__openclaw__/cron/runs"],
  ["GET", "/metrics"],
  ["GET", "/v1/models"],
  ["POST", "/v1/chat/completions"],
  ["POST", "/mcp"],
  ["GET", "/mcp"],
  ["DELETE", "/mcp"],
  ["POST", "/__openclaw__/agents/main/ask"],
];

/**
 * Finding 1 of the attack pass: `Upgrade: websocket` without `Connection: Upgrade` is a plain
 * request to Node, and once skipped auth. Every spelling, on every route, must change nothing.
 */
const UPGRADE_SPELLINGS: [label: string, headers: Record<string, string>][] = [
  ["Upgrade: websocket", { upgrade: "websocket" }],
  ["UPGRADE: WebSocket", { UPGRADE: "WebSocket" }],
  ["Upgrade: websocket, Connection: keep-alive", { upgrade: "websocket", connection: "keep-alive" }],
  [
    "a full handshake but Connection: close",
    {
      upgrade: "websocket",
      connection: "close",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  ],
  [
    "Connection: Upgrade, Upgrade: websocket (a real upgrade)",
    { connection: "Upgrade", upgrade: "websocket" },
  ],
  ["Upgrade: h2c", { connection: "Upgrade", upgrade: "h2c" }],
];

const UPGRADE_CASES: AuthCase[] = OPERATOR_ROUTES.flatMap(([method, path]) =>
  UPGRADE_SPELLINGS.map(
    ([label, headers]): AuthCase => ({
      name: `${method} ${path} with ${label}, no credentials`,
      gateway: "token",
      method,
      path,
      headers,
      expect: 401,
      reason: "missing_credentials",
    }),
  ),
);

const METHOD_CASES: AuthCase[] = ["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"].map((method) => ({
  name: `${method} on status without credentials (no 404/405 that maps routes)`,
  gateway: "token",
  method,
  path: STATUS,
  expect: 401,
  ...(method === "HEAD" ? {} : { reason: "missing_credentials" }),
}));

const PATH_SPELLINGS = [
  "//__openclaw__/status",
  "/__openclaw__//status",
  "/__openclaw__/status/",
  "/__openclaw__/status?",
  "/__openclaw__/status?x=1&cap=1",
  "/__openclaw__/status;x",
  "/__openclaw__/%73tatus",
  "/%5F_openclaw__/status",
  "/__OPENCLAW__/status",
  "/./__openclaw__/status",
  "/__openclaw__/canvas/../status",
  "/__openclaw__/agents/main%2Fkill",
  "/__openclaw__/canvas%2F..%2Fstatus",
  "/health/..%2F__openclaw__/status",
  "/index.html",
];

const PATH_CASES: AuthCase[] = [
  ...PATH_SPELLINGS.map((path) => ({
    name: `path spelling ${path} without credentials`,
    gateway: "token" as const,
    path,
    expect: 401,
  })),
  // The UI's public asset route resolves the rest inside its folder: a 404, nothing of status.
  {
    name: "path spelling /assets/../__openclaw__/status stays in assets",
    gateway: "token",
    path: "/assets/../__openclaw__/status",
    expect: 404,
  },
  {
    name: "path spelling /assets/%2e%2e/%2e%2e/state stays in assets",
    gateway: "token",
    path: "/assets/%2e%2e/%2e%2e/gateway-token",
    expect: 404,
  },
];

/** Finding 4: DNS rebinding names this gateway's address under the attacker's host name. */
const FOREIGN_HOSTS = [
  "rebind.attacker.example",
  "rebind.attacker.example:18789",
  "127.0.0.1.nip.io",
  "localhost.attacker.example",
  "0.0.0.0",
  "user@127.0.0.1",
  "127.0.0.1/x",
];
const HOST_CASES: AuthCase[] = [
  ...FOREIGN_HOSTS.map((host) => ({
    name: `auth none: Host ${JSON.stringify(host)} is refused (DNS rebinding)`,
    gateway: "none" as const,
    method: "POST",
    path: "/__openclaw__/agents/main/kill",
    headers: { host },
    expect: 421,
    reason: "host_not_allowed",
  })),
  {
    name: "token mode: a foreign Host is refused even with the token",
    gateway: "token",
    headers: { host: "rebind.attacker.example", authorization: `Bearer ${TOKEN}` },
    expect: 421,
    reason: "host_not_allowed",
  },
  ...["localhost", "LOCALHOST:1", "localhost.", "app.localhost", "127.0.0.1", "127.1.2.3:9", "[::1]:80"].map(
    (host) => ({
      name: `auth none: loopback name Host ${host} is served`,
      gateway: "none" as const,
      headers: { host },
      expect: 200,
    }),
  ),
  {
    name: "health answers any Host (container probes)",
    gateway: "none",
    path: "/health",
    headers: { host: "10.1.2.3:18789" },
    expect: 200,
  },
];

/** Findings 4 and 6: a page of another site may send, even without credentials to add. */
const CROSS_SITE_CASES: AuthCase[] = [
  ...[
    ["POST", "/__openclaw__/agents/main/kill"],
    ["POST", "/__openclaw__/agents/main/restart"],
    ["POST", "/__openclaw__/secrets/reload"],
    ["POST", "/__openclaw__/cron/run"],
    ["POST", "/v1/chat/completions"],
    // A page that reaches a loopback MCP server could make its agents act: the Origin rules hold.
    ["POST", "/mcp"],
    ["GET", STATUS],
  ].flatMap(([method, path]): AuthCase[] => [
    {
      name: `auth none: ${method} ${path} with a foreign Origin`,
      gateway: "none" as const,
      method,
      path,
      headers: { origin: "https://evil.example" },
      expect: 403,
      reason: "origin_not_allowed",
    },
    {
      name: `auth none: ${method} ${path} marked Sec-Fetch-Site: cross-site`,
      gateway: "none" as const,
      method,
      path,
      headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
      expect: 403,
      reason: "cross_site_request",
    },
  ]),
  {
    name: "auth none: Origin null (sandboxed frame, file:) is refused",
    gateway: "none",
    method: "POST",
    path: "/__openclaw__/agents/main/restart",
    headers: { origin: "null" },
    expect: 403,
    reason: "origin_not_allowed",
  },
  {
    name: "auth none: another loopback port's page is another origin",
    gateway: "none",
    method: "POST",
    path: "/__openclaw__/agents/main/restart",
    headers: { origin: "http://127.0.0.1:1" },
    expect: 403,
    reason: "origin_not_allowed",
  },
  {
    name: "auth none: the gateway's own page (same origin) is served",
    gateway: "none",
    headers: { origin: "{origin}", "sec-fetch-site": "same-origin" },
    expect: 200,
  },
  {
    name: "token mode: a foreign Origin is refused even with the token",
    gateway: "token",
    method: "POST",
    path: "/__openclaw__/agents/main/restart",
    headers: { origin: "https://evil.example", authorization: `Bearer ${TOKEN}` },
    expect: 403,
    reason: "origin_not_allowed",
  },
  {
    name: "proxy: a cookie-authenticating proxy forwards a cross-site POST: refused",
    gateway: "proxy",
    method: "POST",
    path: "/__openclaw__/agents/main/restart",
    headers: { ...PROXY_OK, origin: "https://evil.example" },
    expect: 403,
    reason: "origin_not_allowed",
  },
  {
    name: "auth none: a WebSocket upgrade from a foreign Origin is refused",
    gateway: "none",
    path: "/",
    headers: { connection: "Upgrade", upgrade: "websocket", origin: "https://evil.example" },
    expect: 403,
    reason: "origin_not_allowed",
  },
  {
    name: "canvas with an Upgrade header still needs a capability",
    gateway: "token",
    path: "/__openclaw__/canvas/snapshot",
    headers: { connection: "Upgrade", upgrade: "websocket" },
    expect: 401,
    reason: "capability_missing",
  },
];

export const AUTH_CASES: AuthCase[] = [
  ...HAND_WRITTEN,
  ...UPGRADE_CASES,
  ...METHOD_CASES,
  ...PATH_CASES,
  ...HOST_CASES,
  ...CROSS_SITE_CASES,
  ...hookAuthCases(OPERATOR_ROUTES),
];
