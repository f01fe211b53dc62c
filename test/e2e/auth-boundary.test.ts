import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_CASES, type GatewayName, PASSWORD, TOKEN } from "./auth-cases.js";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome } from "./harness.js";
import { HOOK_TOKEN } from "./hook-auth-cases.js";
import { type LoopbackReply, type LoopbackRequest, loopbackRequest } from "./loopback-request.js";
import { connectNode, generateDeviceIdentity } from "./node-client.js";
import { TestWsClient } from "./ws-client.js";

type Reply = LoopbackReply<{ error?: { reason?: string; code?: string } } & Record<string, unknown>>;

/** A request (the status page unless told) with `{origin}` and `{host}` in headers set to this gateway's. */
function send(
  port: number,
  options: Omit<LoopbackRequest, "method" | "path"> & { method?: string; path?: string },
): Promise<Reply> {
  const own = (value: string) =>
    value.replaceAll("{origin}", `http://127.0.0.1:${port}`).replaceAll("{host}", `127.0.0.1:${port}`);
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(own) : own(value),
    ]),
  );
  return loopbackRequest(port, {
    ...options,
    method: options.method ?? "GET",
    path: options.path ?? "/__openclaw__/status",
    headers,
  });
}

type TestGateway = GatewayName | "limited";

const CONFIGS: Record<TestGateway, { config: Record<string, unknown>; host: string }> = {
  none: { host: "127.0.0.1", config: { gateway: { auth: { mode: "none" } } } },
  // Its own gateway for brute force, so that the table's wrong tokens do not count against it.
  limited: {
    host: "127.0.0.1",
    config: {
      externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_GATEWAY_TOKEN" } },
      gateway: {
        auth: { mode: "token", token: { $secret: "gateway-token" }, rateLimit: { maxAttempts: 10 } },
      },
    },
  },
  password: {
    host: "127.0.0.1",
    config: {
      externalSecrets: { "gateway-password": { source: "env", key: "OPENCLAW_TEST_GATEWAY_PASSWORD" } },
      gateway: { auth: { mode: "password", password: { $secret: "gateway-password" } } },
    },
  },
  token: {
    host: "127.0.0.1",
    config: {
      externalSecrets: {
        "gateway-token": { source: "env", key: "OPENCLAW_TEST_GATEWAY_TOKEN" },
        "hooks-token": { source: "env", key: "OPENCLAW_TEST_HOOKS_TOKEN" },
      },
      gateway: {
        auth: { mode: "token", token: { $secret: "gateway-token" }, rateLimit: { maxAttempts: 1000 } },
      },
      // The hook token opens /hooks/* only (hook-auth-cases.ts).
      hooks: { enabled: true, token: { $secret: "hooks-token" } },
    },
  },
  proxy: {
    host: "::",
    config: {
      gateway: {
        trustedProxies: ["127.0.0.1"],
        auth: {
          mode: "trusted-proxy",
          trustedProxy: {
            userHeader: "x-forwarded-user",
            requiredHeaders: ["x-forwarded-proto"],
            allowUsers: ["alice@example.com"],
            allowLoopback: true,
          },
          rateLimit: { maxAttempts: 1000 },
        },
      },
    },
  },
  strict: {
    host: "127.0.0.1",
    config: {
      gateway: {
        trustedProxies: ["127.0.0.1"],
        auth: { mode: "trusted-proxy", rateLimit: { maxAttempts: 1000 } },
      },
    },
  },
  elsewhere: {
    host: "127.0.0.1",
    config: {
      gateway: {
        trustedProxies: ["10.9.9.9", "fd00::/8"],
        auth: { mode: "trusted-proxy", rateLimit: { maxAttempts: 1000 } },
      },
    },
  },
};

describe("auth boundary", () => {
  const homes: TempHome[] = [];
  const gateways = {} as Record<TestGateway, RunningGateway>;

  beforeAll(async () => {
    for (const [name, { config, host }] of Object.entries(CONFIGS) as [
      TestGateway,
      (typeof CONFIGS)[TestGateway],
    ][]) {
      const home = await tempHome(config);
      home.env.OPENCLAW_TEST_GATEWAY_TOKEN = TOKEN;
      home.env.OPENCLAW_TEST_GATEWAY_PASSWORD = PASSWORD;
      home.env.OPENCLAW_TEST_HOOKS_TOKEN = HOOK_TOKEN;
      homes.push(home);
      gateways[name] = await startGateway(home, ["--host", host]);
    }
  }, 90_000);
  afterAll(async () => {
    for (const gateway of Object.values(gateways)) await gateway.stop();
    for (const home of homes) await home.cleanup();
  });

  it.each(AUTH_CASES.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
    const gateway = gateways[entry.gateway];
    const reply = await send(gateway.port, {
      ...(entry.method ? { method: entry.method } : {}),
      ...(entry.path ? { path: entry.path } : {}),
      ...(entry.headers ? { headers: entry.headers } : {}),
      ...(entry.body ? { body: entry.body } : {}),
      ...(entry.from ? { from: entry.from } : {}),
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(entry.expect);
    if (entry.reason) expect(reply.body.error?.reason).toBe(entry.reason);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("has at least 150 crafted cases", () => {
    expect(AUTH_CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(AUTH_CASES.map((entry) => entry.name)).size).toBe(AUTH_CASES.length);
  });

  it("answers the 11th wrong token within the window with 429 and Retry-After", async () => {
    const port = gateways.limited.port;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      statuses.push(
        (await send(port, { from: "127.0.0.9", headers: { authorization: `Bearer wrong-${attempt}` } }))
          .status,
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const locked = await send(port, { from: "127.0.0.9", headers: { authorization: "Bearer wrong-12" } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // Another loopback address is the same host: rotating 127.0.0.x buys no more guesses.
    for (const from of ["127.0.0.10", "127.0.0.77", "127.200.0.1"]) {
      expect((await send(port, { from, headers: { authorization: "Bearer wrong-13" } })).status, from).toBe(
        429,
      );
    }
    // The operator is not locked out by whoever burned the budget: the right (strong) token and
    // the local CLI token still pass.
    expect(
      (await send(port, { from: "127.0.0.9", headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    expect(
      (
        await send(port, {
          from: "127.0.0.9",
          headers: { authorization: `Bearer ${gateways.limited.token}` },
        })
      ).status,
    ).toBe(200);
    const cli = await runCli(["agents", "list"], gateways.limited.home.env);
    expect(cli.code, cli.stderr).toBe(0);
  });

  it("pairs a node, approves it, serves its canvas by capability, and refuses it after revoke", async () => {
    const gateway = gateways.token;
    const home = homes[Object.keys(CONFIGS).indexOf("token")] as TempHome;
    const identity = generateDeviceIdentity();
    const connectAsNode = () => connectNode(gateway.url, identity, { token: TOKEN });

    const first = await connectAsNode();
    expect(first.response.ok).toBe(false);
    expect(first.response.error?.details?.code).toBe("PAIRING_REQUIRED");
    const pending = await runCli(["nodes", "pending", "--json"], home.env);
    expect(JSON.parse(pending.stdout)).toEqual([
      expect.objectContaining({ id: identity.deviceId, status: "pending" }),
    ]);
    expect((await runCli(["nodes", "approve", identity.deviceId], home.env)).code).toBe(0);

    const { client, response } = await connectAsNode();
    expect(response.ok, JSON.stringify(response.error)).toBe(true);
    const { client: operator } = await TestWsClient.connect(gateway.url, { auth: { token: TOKEN } });
    await operator.request("canvas.update", {
      nodeId: identity.deviceId,
      sessionKey: "agent:main:node",
      snapshot: { title: "hello canvas" },
    });
    const issued = await client.request("node.capability", { sessionKey: "agent:main:node" });
    const urls = issued.payload?.urls as { canvas: string };
    const served = await send(gateway.port, { path: urls.canvas });
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ nodeId: identity.deviceId, snapshot: { title: "hello canvas" } });

    // Tampered: one character of the signature changed.
    const tampered = urls.canvas.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
    expect((await send(gateway.port, { path: tampered })).status).toBe(401);

    expect((await runCli(["nodes", "revoke", identity.deviceId], home.env)).code).toBe(0);
    const after = await send(gateway.port, { path: urls.canvas });
    expect(after.status).toBe(401);
    expect(after.body.error?.reason).toBe("capability_revoked");
    operator.close();
    client.close();
  });
});
