import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome } from "./harness.js";
import { connectNode, type DeviceIdentity, generateDeviceIdentity } from "./node-client.js";
import { TestWsClient } from "./ws-client.js";

const TOKEN = "N0de-tests-token-0123456789abcdef";
const PROXY = { "x-forwarded-for": "203.0.113.9", "x-forwarded-user": "alice@example.com" };

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || "{}") }));
    })
      .on("error", reject)
      .end();
  });
}

/** Pairs a node (pending → approved through the CLI) and leaves it connected. */
async function pairedNode(
  gateway: RunningGateway,
  options: { token?: string; headers?: Record<string, string> },
) {
  const identity = generateDeviceIdentity();
  const first = await connectNode(gateway.url, identity, options);
  expect(first.response.error?.details?.code).toBe("PAIRING_REQUIRED");
  first.client.close();
  expect((await runCli(["nodes", "approve", identity.deviceId], gateway.home.env)).code).toBe(0);
  const { client, response } = await connectNode(gateway.url, identity, options);
  expect(response.ok, JSON.stringify(response.error)).toBe(true);
  return { identity, client };
}

async function capabilityUrl(client: TestWsClient, gateway: RunningGateway, sessionKey: string) {
  const issued = await client.request("node.capability", { sessionKey });
  expect(issued.ok, JSON.stringify(issued.error)).toBe(true);
  return `${gateway.url}${(issued.payload?.urls as { canvas: string }).canvas}`;
}

describe("node-scoped capabilities", () => {
  const homes: TempHome[] = [];
  let tokenGateway: RunningGateway;
  let proxyGateway: RunningGateway;
  let operator: TestWsClient;

  beforeAll(async () => {
    const tokenHome = await tempHome({
      externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_NODE_TOKEN" } },
      gateway: { auth: { mode: "token", token: { $secret: "gateway-token" }, capabilityTtlMs: 1500 } },
    });
    tokenHome.env.OPENCLAW_TEST_NODE_TOKEN = TOKEN;
    const proxyHome = await tempHome({
      gateway: {
        trustedProxies: ["127.0.0.1"],
        auth: { mode: "trusted-proxy", trustedProxy: { allowLoopback: true } },
      },
    });
    homes.push(tokenHome, proxyHome);
    tokenGateway = await startGateway(tokenHome);
    proxyGateway = await startGateway(proxyHome);
    ({ client: operator } = await TestWsClient.connect(tokenGateway.url, { auth: { token: TOKEN } }));
  }, 60_000);
  afterAll(async () => {
    operator?.close();
    await tokenGateway?.stop();
    await proxyGateway?.stop();
    for (const home of homes) await home.cleanup();
  });

  it("pairs a node through OpenClaw's node.pair.* methods and lists it with node.list", async () => {
    const pairing = (
      await TestWsClient.connect(tokenGateway.url, {
        auth: { token: TOKEN },
        scopes: ["operator.pairing", "operator.read"],
      })
    ).client;
    const identity = generateDeviceIdentity();
    const first = await connectNode(tokenGateway.url, identity, { token: TOKEN });
    expect(first.response.error?.details).toMatchObject({
      code: "PAIRING_REQUIRED",
      requestId: identity.deviceId,
    });
    first.client.close();
    const requested = await pairing.waitFor(
      (frame) => frame.event === "node.pair.requested" && frame.payload?.nodeId === identity.deviceId,
    );
    expect(requested.payload?.requestId).toBe(identity.deviceId);

    const listed = await pairing.request("node.pair.list");
    expect(listed.payload?.pending).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ requestId: identity.deviceId, nodeId: identity.deviceId }),
      ]),
    );
    const approved = await pairing.request("node.pair.approve", { requestId: identity.deviceId });
    expect(approved.payload).toMatchObject({
      requestId: identity.deviceId,
      node: { nodeId: identity.deviceId },
    });
    // A request is approved once; approving it again is an unknown request.
    const again = await pairing.request("node.pair.approve", { requestId: identity.deviceId });
    expect(again.error).toMatchObject({ code: "INVALID_REQUEST", message: "unknown requestId" });

    const { client: node, response } = await connectNode(tokenGateway.url, identity, { token: TOKEN });
    expect(response.ok, JSON.stringify(response.error)).toBe(true);
    expect(response.payload?.auth).toEqual({ role: "node", scopes: [] });
    const nodes = await pairing.request("node.list");
    expect(nodes.payload?.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          nodeId: identity.deviceId,
          paired: true,
          connected: true,
          approvalState: "approved",
        }),
      ]),
    );
    // A node may not call operator methods, and an operator may not act as a node.
    expect((await node.request("sessions.list")).error?.message).toBe("unauthorized role: node");
    expect((await pairing.request("node.capability", { sessionKey: "agent:main:x" })).error?.message).toBe(
      "unauthorized role: operator",
    );

    const removed = await pairing.request("node.pair.remove", { nodeId: identity.deviceId });
    expect(removed.payload).toEqual({ nodeId: identity.deviceId });
    expect((await node.waitClosed()).code).toBe(1008);
    pairing.close();
  });

  it("refuses a node whose signature is over another connection's nonce (replay)", async () => {
    const identity: DeviceIdentity = generateDeviceIdentity();
    const first = await connectNode(tokenGateway.url, identity, { token: TOKEN });
    first.client.close();
    const replay = await connectNode(tokenGateway.url, identity, { token: TOKEN, nonce: first.nonce });
    expect(replay.response.ok).toBe(false);
    expect(replay.response.error?.details?.reason).toBe("device_nonce_mismatch");
  });

  it("refuses a node without the gateway token, and an operator with a wrong one", async () => {
    const node = await connectNode(tokenGateway.url, generateDeviceIdentity(), { token: "wrong" });
    expect(node.response.error?.code).toBe("UNAUTHORIZED");
    const { hello } = await TestWsClient.connect(tokenGateway.url, { auth: { token: "wrong" } });
    expect(hello.error).toMatchObject({ code: "UNAUTHORIZED", details: { reason: "invalid_token" } });
  });

  it("refuses a browser origin that is not allowed to open the WebSocket", async () => {
    const open = TestWsClient.open(tokenGateway.url, { origin: "https://evil.example" });
    await expect(open).rejects.toThrow(/403/);
  });

  it("shows each node its own canvas only; another node's capability cannot be bent to it", async () => {
    const a = await pairedNode(tokenGateway, { token: TOKEN });
    const b = await pairedNode(tokenGateway, { token: TOKEN });
    for (const [node, title] of [
      [a, "canvas of A"],
      [b, "canvas of B"],
    ] as const) {
      await operator.request("canvas.update", {
        nodeId: node.identity.deviceId,
        sessionKey: "agent:main:shared",
        snapshot: { title },
      });
    }
    const urlA = await capabilityUrl(a.client, tokenGateway, "agent:main:shared");
    const urlB = await capabilityUrl(b.client, tokenGateway, "agent:main:shared");
    expect((await get(urlA)).body).toMatchObject({ snapshot: { title: "canvas of A" } });
    expect((await get(urlB)).body).toMatchObject({ snapshot: { title: "canvas of B" } });

    // B's token with A's node id written into its payload: the signature no longer matches.
    const tokenB = decodeURIComponent(new URL(urlB).searchParams.get("cap") ?? "");
    const [payloadB, signatureB] = tokenB.split(".");
    const payload = JSON.parse(Buffer.from(payloadB ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    const forged = `${Buffer.from(JSON.stringify({ ...payload, nodeId: a.identity.deviceId })).toString("base64url")}.${signatureB}`;
    const bent = await get(
      `${tokenGateway.url}/__openclaw__/canvas/snapshot?cap=${encodeURIComponent(forged)}`,
    );
    expect(bent.status).toBe(401);
    expect(bent.body).toMatchObject({ error: { reason: "capability_bad_signature" } });
    a.client.close();
    b.client.close();
  });

  it("refuses a node a capability for a session that is neither shown on it nor its own", async () => {
    const a = await pairedNode(tokenGateway, { token: TOKEN });
    const b = await pairedNode(tokenGateway, { token: TOKEN });
    await operator.request("canvas.update", {
      nodeId: b.identity.deviceId,
      sessionKey: "agent:main:private-to-b",
      snapshot: { title: "B only" },
    });
    for (const sessionKey of [
      "agent:main:private-to-b",
      "agent:main:main",
      `agent:main:node:${b.identity.deviceId}`,
      `agent:main:node:${a.identity.deviceId}x`,
    ]) {
      const refused = await a.client.request("node.capability", { sessionKey });
      expect(refused.ok, sessionKey).toBe(false);
      expect(refused.error?.code).toBe("FORBIDDEN");
    }
    // B, to which the operator showed it, may open it.
    expect((await b.client.request("node.capability", { sessionKey: "agent:main:private-to-b" })).ok).toBe(
      true,
    );
    a.client.close();
    b.client.close();
  });

  it("expires a capability after capabilityTtlMs, and kills it when the session ends", async () => {
    const node = await pairedNode(tokenGateway, { token: TOKEN });
    // The node's own sessions (agent:<agent>:node:<nodeId>…) need no operator to bind them.
    const own = `agent:main:node:${node.identity.deviceId}`;
    const expiring = await capabilityUrl(node.client, tokenGateway, `${own}:a`);
    expect((await get(expiring)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await get(expiring)).body).toMatchObject({ error: { reason: "capability_expired" } });

    const ending = await capabilityUrl(node.client, tokenGateway, `${own}:b`);
    expect((await get(ending)).status).toBe(200);
    await node.client.request("node.session.end", { sessionKey: `${own}:b` });
    expect((await get(ending)).body).toMatchObject({ error: { reason: "capability_revoked" } });

    const closing = await capabilityUrl(node.client, tokenGateway, `${own}:c`);
    node.client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(closing)).body).toMatchObject({ error: { reason: "capability_revoked" } });
  });

  it("through a trusted proxy: no X-Forwarded-For → 401; with it and a capability → served (the seed's checks)", async () => {
    const node = await pairedNode(proxyGateway, { headers: PROXY });
    const sessionKey = `agent:main:node:${node.identity.deviceId}:proxied`;
    const url = await capabilityUrl(node.client, proxyGateway, sessionKey);
    const { "x-forwarded-for": _dropped, ...withoutForwardedFor } = PROXY;
    const refused = await get(url, withoutForwardedFor);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { reason: "missing_forwarded_for" } });
    const served = await get(url, PROXY);
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ sessionKey });
    node.client.close();
  });
});
