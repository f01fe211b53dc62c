import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDeviceAuthPayload, generateDeviceIdentity, signDevicePayload } from "../../src/auth/index.js";
import { useGateway } from "./harness.js";
import { conformsTo } from "./protocol-schemas.js";
import { TestWsClient } from "./ws-client.js";

const PLAINTEXT_KEY = "sk-conformance-not-a-real-key-0123456789";

/**
 * The gateway against the published protocol contract (`@openclaw/gateway-protocol`): what it
 * sends validates against the schemas, what it refuses is refused in the protocol's shapes.
 */
describe("protocol conformance", () => {
  const ctx = useGateway({
    gateway: { auth: { mode: "token" } },
    models: { providers: { openai: { apiKey: PLAINTEXT_KEY } } },
    agents: { main: {}, research: { model: "openai/gpt-4o-mini" } },
  });
  const gatewayToken = async () => (await readFile(join(ctx.home.stateDir, "gateway-token"), "utf8")).trim();
  const connect = async (params: Record<string, unknown> = {}) =>
    TestWsClient.connect(ctx.url, { auth: { token: await gatewayToken() }, ...params });

  it("answers connect with a hello-ok that validates, reporting the scopes it granted", async () => {
    const { client, hello } = await connect({ scopes: ["operator.read"] });
    expect(conformsTo.responseFrame(hello)).toEqual([]);
    expect(conformsTo.helloOk(hello.payload)).toEqual([]);
    expect(hello.payload?.auth).toEqual({ role: "operator", scopes: ["operator.read"] });
    const events = client.frames.filter((frame) => frame.type === "event");
    expect(events.map((frame) => frame.event)).toEqual(["connect.challenge"]);
    for (const frame of events) expect(conformsTo.eventFrame(frame)).toEqual([]);
    client.close();
  });

  it("enforces the requested scopes per method with the MISSING_SCOPE shape", async () => {
    const { client } = await connect({ scopes: ["operator.read"] });
    expect((await client.request("sessions.list")).ok).toBe(true);
    const denied = await client.request("chat.send", {
      sessionKey: "agent:main:scoped",
      message: "hi",
      idempotencyKey: "scoped-1",
    });
    expect(denied.error).toEqual({
      code: "FORBIDDEN",
      message: "missing scope: operator.write",
      details: { code: "MISSING_SCOPE", missingScope: "operator.write", requiredScopes: ["operator.write"] },
    });
    expect((await client.request("node.pair.list")).error?.details?.missingScope).toBe("operator.pairing");
    expect((await client.request("agents.kill", { agentId: "main" })).error?.code).toBe("FORBIDDEN");
    // Refused, not dropped: the socket still serves what the scopes allow.
    expect((await client.request("health")).ok).toBe(true);
    client.close();
  });

  it("lets operator.write read as well, and keeps admin-only status fields from others", async () => {
    const { client } = await connect({ scopes: ["operator.write"] });
    const status = await client.request("status");
    expect(status.ok).toBe(true);
    expect(status.payload).not.toHaveProperty("secrets");
    expect(status.payload).not.toHaveProperty("configPath");
    client.close();
    const admin = await connect({ scopes: ["operator.admin"] });
    expect((await admin.client.request("status")).payload).toHaveProperty("configPath");
    admin.client.close();
  });

  it("validates params against the method's schema and keeps the socket", async () => {
    const { client } = await connect();
    const missingKey = await client.request("chat.send", { sessionKey: "agent:main:x", message: "hi" });
    expect(missingKey.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "invalid chat.send params: must have required property 'idempotencyKey'",
    });
    const extra = await client.request("models.list", { bogus: true });
    expect(extra.error?.message).toMatch(/^invalid models\.list params: .*bogus/);
    client.sendRaw({ type: "req", id: "x1", method: "health", surprise: 1 });
    const badFrame = await client.waitFor((frame) => frame.id === "x1");
    expect(badFrame.error?.message).toMatch(/^invalid request frame: /);
    expect((await client.request("health")).ok).toBe(true);
    client.close();
  });

  it("verifies an operator's device signature: a genuine one is accepted, a wrong one refused", async () => {
    const token = await gatewayToken();
    const identity = generateDeviceIdentity();
    /** Connects as the OpenClaw CLI does with a device: v3 payload over this challenge's nonce and ts. */
    const attempt = async (signedScopes: string[]) => {
      const client = await TestWsClient.open(ctx.url);
      const challenge = await client.waitFor((frame) => frame.event === "connect.challenge");
      const nonce = String(challenge.payload?.nonce);
      const signedAt = Number(challenge.payload?.ts);
      const payload = buildDeviceAuthPayload("v3", {
        deviceId: identity.deviceId,
        clientId: "cli",
        clientMode: "cli",
        role: "operator",
        scopes: signedScopes,
        signedAtMs: signedAt,
        token,
        nonce,
        platform: "linux",
      });
      const response = await client.request("connect", {
        minProtocol: 4,
        maxProtocol: 4,
        client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
        role: "operator",
        scopes: ["operator.read"],
        auth: { token },
        device: {
          id: identity.deviceId,
          publicKey: identity.publicKey,
          signature: signDevicePayload(identity.privateKeyPem, payload),
          signedAt,
          nonce,
        },
      });
      return { client, response };
    };

    const genuine = await attempt(["operator.read"]);
    expect(genuine.response.ok, JSON.stringify(genuine.response.error)).toBe(true);
    genuine.client.close();
    // Signed over other scopes than it asks for: a tampered request, refused with the socket closed.
    const tampered = await attempt(["operator.admin"]);
    expect(tampered.response.ok).toBe(false);
    expect(tampered.response.error?.details?.code).toBe("DEVICE_AUTH_SIGNATURE_INVALID");
    expect((await tampered.client.waitClosed()).code).toBe(1008);
  });

  it("streams chat and agent events that validate, with the idempotency key as run id", async () => {
    const { client } = await connect();
    const sent = await client.request("chat.send", {
      sessionKey: "agent:main:conformance",
      message: "stream me",
      idempotencyKey: "conformance-run-1",
    });
    expect(sent.payload).toEqual({ runId: "conformance-run-1", status: "started" });
    await client.waitFor((frame) => frame.event === "chat" && frame.payload?.state === "final");
    const chat = client.frames.filter((frame) => frame.event === "chat");
    for (const frame of chat) expect(conformsTo.chatEvent(frame.payload)).toEqual([]);
    // Deltas carry the new text only (`message` is optional on a delta); the final the whole.
    const deltas = chat.filter((frame) => frame.payload?.state === "delta");
    expect(deltas.map((frame) => frame.payload?.deltaText).join("")).toBe("You said: stream me");
    const final = chat.at(-1)?.payload?.message as { content: { text: string }[] };
    expect(final.content[0]?.text).toBe("You said: stream me");
    const lifecycle = client.frames
      .filter((frame) => frame.event === "agent" && frame.payload?.stream === "lifecycle")
      .map((frame) => (frame.payload?.data as { phase: string }).phase);
    expect(lifecycle).toEqual(["start", "end"]);
    const session = await client.request("sessions.get", { key: "agent:main:conformance" });
    expect((session.payload?.messages as unknown[]).length).toBe(2);
    const list = await client.request("sessions.list", { limit: 10 });
    for (const row of list.payload?.sessions as unknown[]) expect(conformsTo.sessionRow(row)).toEqual([]);
    client.close();
  });

  it("answers agent twice on one request id: accepted at once, then the final result", async () => {
    const { client } = await connect();
    client.sendRaw({
      type: "req",
      id: "agent-1",
      method: "agent",
      params: { message: "run me", agentId: "main", idempotencyKey: "conformance-agent-1" },
    });
    const final = await client.waitFor(
      (frame) => frame.id === "agent-1" && frame.payload?.status !== "accepted",
    );
    const answers = client.frames.filter((frame) => frame.type === "res" && frame.id === "agent-1");
    expect(answers.map((frame) => frame.payload?.status)).toEqual(["accepted", "ok"]);
    expect(answers[0]?.payload).toMatchObject({
      runId: "conformance-agent-1",
      sessionKey: "agent:main:main",
      agentId: "main",
    });
    expect(final.payload).toMatchObject({
      runId: "conformance-agent-1",
      summary: "completed",
      result: { payloads: [{ text: "You said: run me" }] },
    });
    // Its run streams like chat.send's, under the same run id.
    const finalChat = await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        frame.payload?.runId === "conformance-agent-1" &&
        frame.payload?.state === "final",
    );
    expect(conformsTo.chatEvent(finalChat.payload)).toEqual([]);
    // Without an idempotency key the protocol's validator refuses it, socket kept.
    const invalid = await client.request("agent", { message: "no key" });
    expect(invalid.ok).toBe(false);
    expect(invalid.error?.code).toBe("INVALID_REQUEST");
    client.close();
  });

  it("lists who is connected with system-presence, in the protocol's PresenceEntry shape", async () => {
    const { client } = await connect({ scopes: ["operator.read"] });
    const { client: other } = await connect();
    const presence = await client.request("system-presence");
    expect(presence.ok).toBe(true);
    const entries = presence.payload as unknown as Record<string, unknown>[];
    for (const entry of entries) expect(conformsTo.presenceEntry(entry)).toEqual([]);
    expect(entries[0]).toMatchObject({ reason: "self", mode: "gateway" });
    const clients = entries.filter((entry) => entry.reason === "connect");
    expect(clients.length).toBeGreaterThanOrEqual(2);
    expect(clients[0]).toMatchObject({ ip: expect.any(String), roles: ["operator"], mode: "test" });
    other.close();
    // Gone once the gateway has seen the socket close.
    const deadline = Date.now() + 5000;
    let remaining = entries.length;
    while (remaining !== entries.length - 1 && Date.now() < deadline) {
      const after = await client.request("system-presence");
      remaining = (after.payload as unknown as unknown[]).length;
      if (remaining !== entries.length - 1) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(remaining).toBe(entries.length - 1);
    client.close();
  });

  it("lists models and never leaks a credential through config.get", async () => {
    const { client } = await connect();
    const models = await client.request("models.list");
    expect(conformsTo.modelsListResult(models.payload)).toEqual([]);
    expect(models.payload?.models).toEqual(
      expect.arrayContaining([
        { id: "echo", name: "echo", provider: "dev" },
        { id: "gpt-4o-mini", name: "gpt-4o-mini", provider: "openai" },
      ]),
    );
    const config = await client.request("config.get");
    expect(config.ok).toBe(true);
    expect(JSON.stringify(config)).not.toContain(PLAINTEXT_KEY);
    expect(config.payload?.raw).toBeNull();
    const provider = (config.payload?.config as { models: { providers: { openai: { apiKey: string } } } })
      .models.providers.openai;
    expect(provider.apiKey).not.toContain("sk-conformance");
    client.close();
  });

  it("closes a pre-connect frame over 64 KiB with 1009, and after the handshake one over maxPayload", async () => {
    const stranger = await TestWsClient.open(ctx.url);
    stranger.sendRaw("x".repeat(70 * 1024));
    expect((await stranger.waitClosed()).code).toBe(1009);
    const { client, hello } = await connect();
    const big = await client.request("health", { padding: "x".repeat(70 * 1024) });
    expect(big.ok).toBe(true);
    const { maxPayload } = hello.payload?.policy as { maxPayload: number };
    client.sendRaw("x".repeat(maxPayload + 1));
    // The gateway closes with 1009 as soon as the frame header names the length; a client still
    // pushing the rest of its 4 MiB may see its connection reset (1006) before that close frame.
    expect([1009, 1006]).toContain((await client.waitClosed()).code);
    // The refusal was of that frame, not of the gateway: a new connection is served.
    const { client: again } = await connect();
    expect((await again.request("health")).ok).toBe(true);
    again.close();
  });
});
