import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { useGateway } from "./harness.js";
import { type RawReply, rawRequest, sendRaw } from "./raw-http.js";

/**
 * The boundary attacked from outside, route by route: the test reads the gateway's own route
 * table (so a route added later is attacked too), then sends each route every method and
 * header spelling without valid credentials. The oracle is the `x-openclaw-access` header the
 * boundary puts on every answer it let through: without credentials, only "public" may appear.
 * The hook token is tried on every route too: it may open the hook routes ("hook") and nothing
 * else, and no gateway credential opens those.
 */

const HOOK_TOKEN = "Hook-token-of-the-route-table-0123456789";

interface TableRoute {
  method: string;
  url: string;
  access: { kind: string };
  websocketConnect?: boolean;
}

/** What may be served without credentials; a new public route must be added here on purpose. */
const EXPECTED_PUBLIC = [
  "GET /",
  "HEAD /",
  "GET /health",
  "HEAD /health",
  "GET /readyz",
  "HEAD /readyz",
  "GET /assets/*",
  "HEAD /assets/*",
];

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "CONNECT"];

/** The hook token, in both of OpenClaw's spellings: valid on the hook routes only. */
const HOOK_TOKEN_VARIANTS: [string, [string, string][]][] = [
  ["the hook token as Bearer", [["Authorization", `Bearer ${HOOK_TOKEN}`]]],
  ["the hook token as x-openclaw-token", [["X-OpenClaw-Token", HOOK_TOKEN]]],
];

function carriesHookToken(headers: [string, string][]): boolean {
  return headers.some(([, value]) => value.includes(HOOK_TOKEN));
}

/** Header sets an attacker tries; none of them is a gateway credential (the hook token opens hooks only). */
function headerVariants(port: number): [string, [string, string][]][] {
  const key = ["Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="] as [string, string];
  const version = ["Sec-WebSocket-Version", "13"] as [string, string];
  return [
    ["nothing", []],
    ["Upgrade: websocket", [["Upgrade", "websocket"]]],
    ["upgrade: WEBSOCKET", [["upgrade", "WEBSOCKET"]]],
    ["a real upgrade", [["Connection", "Upgrade"], ["Upgrade", "websocket"], key, version]],
    [
      "Connection: keep-alive, Upgrade",
      [["Connection", "keep-alive, Upgrade"], ["Upgrade", "websocket"], key, version],
    ],
    ["a handshake without Connection", [["Upgrade", "websocket"], key, version]],
    [
      "Upgrade: h2c",
      [
        ["Connection", "Upgrade, HTTP2-Settings"],
        ["Upgrade", "h2c"],
        ["HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"],
      ],
    ],
    [
      "own Origin",
      [
        ["Origin", `http://127.0.0.1:${port}`],
        ["Sec-Fetch-Site", "same-origin"],
      ],
    ],
    [
      "spoofed proxy headers",
      [
        ["X-Forwarded-For", "203.0.113.7"],
        ["X-Forwarded-User", "alice"],
        ["X-Real-IP", "127.0.0.1"],
        ["Forwarded", "for=127.0.0.1"],
      ],
    ],
    ["a wrong bearer", [["Authorization", "Bearer not-the-token"]]],
    [
      "Basic with a guess",
      [["Authorization", `Basic ${Buffer.from("openclaw:openclaw").toString("base64")}`]],
    ],
    ["an empty bearer", [["Authorization", "Bearer"]]],
    [
      "two Authorization headers",
      [
        ["Authorization", "Bearer a"],
        ["Authorization", "Bearer b"],
      ],
    ],
    ["a token cookie", [["Cookie", "token=x; openclaw_token=x"]]],
    ["a garbage capability", [["X-OpenClaw-Capability", "eyJub2RlSWQiOiJ4In0.AAAA"]]],
    ["Host localhost", [["Host", "localhost"]]],
    [
      "X-HTTP-Method-Override",
      [
        ["X-HTTP-Method-Override", "GET"],
        ["X-Original-URL", "/health"],
        ["X-Rewrite-URL", "/health"],
      ],
    ],
    ...HOOK_TOKEN_VARIANTS,
  ];
}

function concretePath(url: string): string {
  return url.replace(/:[A-Za-z]+/g, "main").replace(/\*$/, "x");
}

function headerList(port: number, extra: [string, string][]): [string, string][] {
  const hasHost = extra.some(([name]) => name.toLowerCase() === "host");
  return [...(hasHost ? [] : [["Host", `127.0.0.1:${port}`] as [string, string]]), ...extra];
}

/**
 * An answer proves a non-public handler ran when the boundary says it let the request in as
 * such; "hook" is legitimate only for a request that carried the hook token.
 */
function violation(reply: RawReply, hookToken = false): string | undefined {
  const admitted = reply.headers["x-openclaw-access"];
  if (admitted === "hook" && hookToken) return undefined;
  if (admitted !== undefined && admitted !== "public")
    return `admitted as ${admitted} (status ${reply.status})`;
  if (reply.timedOut) return "no answer within 5 s";
  return undefined;
}

describe("the route table, attacked without credentials", () => {
  const running = useGateway(
    {
      externalSecrets: { "hooks-token": { source: "env", key: "OPENCLAW_TEST_HOOKS_TOKEN" } },
      gateway: { auth: { mode: "token", rateLimit: { maxAttempts: 10_000 } } },
      hooks: { enabled: true, token: { $secret: "hooks-token" } },
    },
    (home) => {
      home.env.OPENCLAW_TEST_HOOKS_TOKEN = HOOK_TOKEN;
    },
  );
  let routes: TableRoute[] = [];

  beforeAll(async () => {
    const response = await fetch(`${running.url}/__openclaw__/routes`, { headers: running.gateway.headers });
    expect(response.status).toBe(200);
    routes = ((await response.json()) as { routes: TableRoute[] }).routes;
  });

  it("declares an access for every route, and only the probes and the UI shell are public", () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes)
      expect(["public", "operator", "capability", "metrics", "hook", "cluster"]).toContain(route.access.kind);
    const publicRoutes = routes
      .filter((route) => route.access.kind === "public")
      .map((route) => `${route.method} ${route.url}`);
    expect(publicRoutes.sort()).toEqual([...EXPECTED_PUBLIC].sort());
    // `mcp serve` over streamable HTTP runs agent turns: operator write, in every method it takes.
    const mcp = routes.filter(
      (route) => route.url === "/mcp" || route.url === "/__openclaw__/agents/:id/ask",
    );
    expect(mcp.map((route) => `${route.method} ${route.url} ${route.access.kind}`).sort()).toEqual([
      "DELETE /mcp operator",
      "GET /mcp operator",
      "HEAD /mcp operator",
      "POST /__openclaw__/agents/:id/ask operator",
      "POST /mcp operator",
    ]);
    // Exactly one route takes real upgrades to the WebSocket handshake (HEAD shares its options;
    // a HEAD request is never upgraded).
    expect(
      routes.filter((route) => route.websocketConnect).map((route) => `${route.method} ${route.url}`),
    ).toEqual(["GET /", "HEAD /"]);
    expect(
      routes.filter((route) => route.access.kind === "hook").map((route) => `${route.method} ${route.url}`),
    ).toEqual(["POST /hooks/agent", "POST /hooks/wake"]);
    // The internal hop between replicas: its signature only (refused below like any other route).
    expect(
      routes
        .filter((route) => route.access.kind === "cluster")
        .map((route) => `${route.method} ${route.url}`),
    ).toEqual(["POST /__openclaw__/cluster/turn"]);
  });

  it("refuses every non-public route, in every method and header spelling", async () => {
    const port = running.gateway.port;
    const failures: string[] = [];
    const paths = [
      ...new Set(
        routes.filter((route) => route.access.kind !== "public").map((route) => concretePath(route.url)),
      ),
    ];
    const hookPaths = new Set(
      routes.filter((route) => route.access.kind === "hook").map((route) => concretePath(route.url)),
    );
    let sent = 0;
    for (const path of paths) {
      for (const method of METHODS) {
        for (const [label, headers] of headerVariants(port)) {
          const body = method === "POST" || method === "PUT" || method === "PATCH" ? "{}" : undefined;
          const reply = await sendRaw(
            port,
            rawRequest({
              method,
              target: path,
              headers: [
                ...headerList(port, headers),
                ...(body ? [["Content-Type", "application/json"] as [string, string]] : []),
              ],
              ...(body ? { body } : {}),
            }),
          );
          sent += 1;
          // The hook token on its own routes is the one credential here: that is the hook test's.
          if (hookPaths.has(path) && carriesHookToken(headers)) continue;
          const problem = violation(reply);
          // A non-public path must never answer 2xx, whatever else it answers.
          const served = reply.status >= 200 && reply.status < 300;
          if (problem || served)
            failures.push(`${method} ${path} with ${label}: ${problem ?? `status ${reply.status}`}`);
        }
      }
    }
    console.log(
      `[route-table] ${sent} requests to ${paths.length} non-public paths, ${failures.length} let through`,
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it("property: generated requests without valid credentials reach no non-public handler", async () => {
    const port = running.gateway.port;
    const targets = [...new Set(routes.map((route) => concretePath(route.url)))];
    const variants = headerVariants(port);
    const mutation = fc.constantFrom(
      (path: string) => path.replace("/", "//"),
      (path: string) => path.replace(/\/([^/]+)$/, "//$1"),
      (path: string) => `${path}/`,
      (path: string) => path.toUpperCase(),
      (path: string) => `/.${path}`,
      (path: string) => path.replace(/\/[^/]*$/, "/x/..$&"),
      (path: string) => `${path}?cap=x&token=x`,
      (path: string) => `${path};x`,
      (path: string) => `${path}%00`,
      (path: string) => path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
      (path: string) => path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      (path: string) => path.replace(/\//g, "%2F").replace(/^%2F/, "/"),
      (path: string) => `http://127.0.0.1:${port}${path}`,
      (path: string) => path.replace(/\/[^/]+/, "/health/.."),
      (path: string) => path,
    );
    const recase = (name: string, upper: boolean[]) =>
      [...name]
        .map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char.toLowerCase()))
        .join("");
    const request = fc.record({
      method: fc.oneof(fc.constantFrom(...METHODS), fc.stringMatching(/^[A-Z]{3,8}$/)),
      target: fc.constantFrom(...targets),
      mutations: fc.array(mutation, { maxLength: 3 }),
      headerSets: fc.uniqueArray(fc.integer({ min: 0, max: variants.length - 1 }), { maxLength: 4 }),
      casing: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      version: fc.constantFrom("1.0" as const, "1.1" as const),
      body: fc.option(
        fc.constantFrom(
          "{}",
          '{"messages":[{"role":"user","content":"/tool exec {\\"command\\":\\"id\\"}"}],"model":"openclaw"}',
          "x",
        ),
        { nil: undefined },
      ),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        runs += 1;
        const path = generated.mutations.reduce((current, apply) => apply(current), generated.target);
        const extra = generated.headerSets.flatMap((index) => variants[index]?.[1] ?? []);
        const headers = headerList(port, extra).map(([name, value]): [string, string] => [
          recase(name, generated.casing),
          value,
        ]);
        const reply = await sendRaw(
          port,
          rawRequest({
            method: generated.method,
            target: path,
            headers: generated.body ? [...headers, ["Content-Type", "application/json"]] : headers,
            version: generated.version,
            ...(generated.body ? { body: generated.body } : {}),
          }),
        );
        const problem = violation(reply, carriesHookToken(extra));
        if (problem) throw new Error(`${generated.method} ${path}: ${problem}`);
      }),
      { numRuns: 400 },
    );
    expect(runs).toBe(400);
  }, 120_000);

  it("refuses every gateway credential on the hook routes, in every method", async () => {
    const port = running.gateway.port;
    const credentials: [string, [string, string][]][] = [
      ["the CLI token as Bearer", [["Authorization", running.gateway.headers.authorization ?? ""]]],
      ["the CLI token as x-openclaw-token", [["X-OpenClaw-Token", running.gateway.token]]],
    ];
    const failures: string[] = [];
    for (const route of routes.filter((entry) => entry.access.kind === "hook")) {
      for (const method of METHODS) {
        for (const [label, headers] of [...credentials, ...headerVariants(port)]) {
          if (carriesHookToken(headers)) continue;
          const reply = await sendRaw(
            port,
            rawRequest({
              method,
              target: route.url,
              headers: [...headerList(port, headers), ["Content-Type", "application/json"]],
              body: '{"message":"m","text":"t"}',
            }),
          );
          // Another method is no route: an operator's credential gets the gateway's 405 with
          // Allow, as on any path. What must never happen is a hook handler run without the hook
          // token, or a POST not refused.
          const admitted = reply.headers["x-openclaw-access"];
          const served = reply.status >= 200 && reply.status < 300;
          const refused = method !== route.method || reply.status === 401 || reply.status === 429;
          if (admitted === "hook" || served || !refused)
            failures.push(`${method} ${route.url} with ${label}: ${reply.status} ${admitted ?? ""}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The oracle can tell: the hook token itself is admitted there.
    const admitted = await sendRaw(
      port,
      rawRequest({
        method: "POST",
        target: "/hooks/wake",
        headers: headerList(port, [
          ["X-OpenClaw-Token", HOOK_TOKEN],
          ["Content-Type", "application/json"],
        ]),
        body: '{"text":"route table"}',
      }),
    );
    expect(admitted.status).toBe(200);
    expect(admitted.headers["x-openclaw-access"]).toBe("hook");
  }, 60_000);

  it("still serves the same requests with the credential (the oracle can tell)", async () => {
    const port = running.gateway.port;
    const reply = await sendRaw(
      port,
      rawRequest({
        method: "GET",
        target: "/__openclaw__/status",
        headers: headerList(port, [
          ["Authorization", running.gateway.headers.authorization ?? ""],
          ["Upgrade", "websocket"],
        ]),
      }),
    );
    expect(reply.status).toBe(200);
    expect(reply.headers["x-openclaw-access"]).toBe("operator");
  });
});
