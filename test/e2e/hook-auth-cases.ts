import type { AuthCase } from "./auth-cases.js";

/**
 * The hook token against the auth boundary (hooks.enabled on the `token` gateway, token
 * HOOK_TOKEN): every hook route × every credential kind, and the hook token on every operator
 * route. The hook routes count failures on a limiter of their own (20 a minute per host, as
 * OpenClaw does): the refusals here stay under it, and the admitted cases between them reset it.
 */

export const HOOK_TOKEN = "H00k-token-for-tests-0123456789abcdefgh";
const GATEWAY_TOKEN = "T0ken-for-tests-0123456789abcdef";
const HOOK_ROUTES = ["/hooks/agent", "/hooks/wake"];
const BODY = '{"message":"auth case","text":"auth case","deliver":false}';
const JSON_TYPE = { "content-type": "application/json" };

/** What each credential kind gets on a hook route: only the hook token is a credential there. */
const ON_HOOK_ROUTES: [label: string, headers: Record<string, string>, expect: number, reason?: string][] = [
  ["no credentials", {}, 401, "missing_credentials"],
  ["the gateway token as Bearer", { authorization: `Bearer ${GATEWAY_TOKEN}` }, 401, "invalid_token"],
  ["the gateway token as x-openclaw-token", { "x-openclaw-token": GATEWAY_TOKEN }, 401, "invalid_token"],
  [
    "the gateway token as Basic",
    { authorization: `Basic ${Buffer.from(`u:${GATEWAY_TOKEN}`).toString("base64")}` },
    401,
  ],
  [
    "trusted-proxy headers",
    {
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-user": "alice@example.com",
      "x-forwarded-proto": "https",
    },
    401,
    "missing_credentials",
  ],
  ["a capability", { "x-openclaw-capability": "eyJub2RlSWQiOiJ4In0.AAAA" }, 401, "missing_credentials"],
  ["the hook token in a cookie", { cookie: `token=${HOOK_TOKEN}` }, 401, "missing_credentials"],
  [
    "a prefix of the hook token",
    { authorization: `Bearer ${HOOK_TOKEN.slice(0, 12)}` },
    401,
    "invalid_token",
  ],
];

const hookRouteCases: AuthCase[] = HOOK_ROUTES.flatMap((path): AuthCase[] => {
  const admitted = path.endsWith("/agent") ? 202 : 200;
  return [
    {
      name: `hooks: POST ${path} with the hook token as Bearer`,
      gateway: "token",
      method: "POST",
      path,
      headers: { ...JSON_TYPE, authorization: `Bearer ${HOOK_TOKEN}` },
      body: BODY,
      expect: admitted,
    },
    ...ON_HOOK_ROUTES.map(
      ([label, headers, expect, reason]): AuthCase => ({
        name: `hooks: POST ${path} with ${label}`,
        gateway: "token",
        method: "POST",
        path,
        headers: { ...JSON_TYPE, ...headers },
        body: BODY,
        expect,
        ...(reason ? { reason } : {}),
      }),
    ),
    {
      name: `hooks: POST ${path} with the hook token as x-openclaw-token`,
      gateway: "token",
      method: "POST",
      path,
      headers: { ...JSON_TYPE, "x-openclaw-token": HOOK_TOKEN },
      body: BODY,
      expect: admitted,
    },
    {
      name: `hooks: POST ${path} with the hook token in the query too`,
      gateway: "token",
      method: "POST",
      path: `${path}?token=${HOOK_TOKEN}`,
      headers: { ...JSON_TYPE, authorization: `Bearer ${HOOK_TOKEN}` },
      body: BODY,
      expect: 400,
      reason: "token_in_query",
    },
    {
      name: `hooks: POST ${path} with the hook token from a foreign Origin`,
      gateway: "token",
      method: "POST",
      path,
      headers: { ...JSON_TYPE, authorization: `Bearer ${HOOK_TOKEN}`, origin: "https://evil.example" },
      body: BODY,
      expect: 403,
      reason: "origin_not_allowed",
    },
    {
      name: `hooks: POST ${path} with the hook token under a foreign Host`,
      gateway: "token",
      method: "POST",
      path,
      headers: { ...JSON_TYPE, authorization: `Bearer ${HOOK_TOKEN}`, host: "rebind.attacker.example" },
      body: BODY,
      expect: 421,
      reason: "host_not_allowed",
    },
    {
      name: `hooks: POST ${path} on a gateway with hooks off, with its password`,
      gateway: "password",
      method: "POST",
      path,
      headers: { ...JSON_TYPE, authorization: "Bearer P4ss-for-tests-0123456789" },
      body: BODY,
      expect: 404,
    },
  ];
});

/** The hook token opens no other route: operator, capability and metrics routes alike. */
function hookTokenElsewhere(routes: readonly [method: string, path: string][]): AuthCase[] {
  return [
    ...routes,
    ["GET", "/__openclaw__/canvas/snapshot"] as [string, string],
    ["GET", "/nothing-here"] as [string, string],
  ].flatMap(([method, path]): AuthCase[] => [
    {
      name: `hooks: the hook token as Bearer on ${method} ${path}`,
      gateway: "token",
      method,
      path,
      headers: { authorization: `Bearer ${HOOK_TOKEN}` },
      expect: 401,
      reason: path.includes("/canvas/") ? "capability_missing" : "invalid_token",
    },
    {
      name: `hooks: the hook token as x-openclaw-token on ${method} ${path}`,
      gateway: "token",
      method,
      path,
      headers: { "x-openclaw-token": HOOK_TOKEN },
      expect: 401,
    },
  ]);
}

export function hookAuthCases(operatorRoutes: readonly [method: string, path: string][]): AuthCase[] {
  return [...hookRouteCases, ...hookTokenElsewhere(operatorRoutes)];
}
