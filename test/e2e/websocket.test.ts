import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";
import { type Frame, TestWsClient } from "./ws-client.js";

describe("WebSocket protocol", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({ agents: { main: {}, research: { model: "dev/echo" } } });
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("sends connect.challenge, then answers connect with hello-ok", async () => {
    const { client, hello } = await TestWsClient.connect(gateway.url);
    const challenge = client.frames[0] as Frame;
    expect(challenge).toMatchObject({ type: "event", event: "connect.challenge" });
    expect(typeof challenge.payload?.nonce).toBe("string");
    expect(hello.ok).toBe(true);
    const payload = hello.payload as Record<string, any>;
    expect(payload.type).toBe("hello-ok");
    expect(payload.protocol).toBe(4);
    // Asked for no scopes (as this gateway's Control UI does): every operator scope.
    expect(payload.auth.scopes).toEqual(
      expect.arrayContaining(["operator.read", "operator.write", "operator.admin"]),
    );
    expect(payload.server.connId).toBeTruthy();
    expect(payload.features.methods).toEqual(
      expect.arrayContaining(["health", "status", "chat.send", "chat.abort"]),
    );
    expect(payload.policy.tickIntervalMs).toBeGreaterThan(0);
    expect(payload.snapshot.uptimeMs).toBeGreaterThanOrEqual(0);
    client.close();
  });

  it("refuses any method before connect and closes", async () => {
    const client = await TestWsClient.open(gateway.url);
    const response = await client.request("health");
    expect(response.ok).toBe(false);
    expect(response.error?.message).toMatch(/first request must be connect/);
    expect((await client.waitClosed()).code).toBe(1008);
  });

  it("answers a client offering only versions it does not speak with a clear error, not a hang", async () => {
    // Too old, too new, and the previous version from an operator (only nodes and probes may lag).
    for (const [minProtocol, maxProtocol] of [
      [1, 2],
      [5, 6],
      [3, 3],
    ]) {
      const client = await TestWsClient.open(gateway.url);
      const startedAt = Date.now();
      const response = await client.request(
        "connect",
        { minProtocol, maxProtocol, client: { id: "test", version: "0.1", platform: "linux", mode: "test" } },
        2000,
      );
      expect(response.ok).toBe(false);
      expect(response.error?.details).toMatchObject({
        code: "PROTOCOL_MISMATCH",
        clientMinProtocol: minProtocol,
        clientMaxProtocol: maxProtocol,
        expectedProtocol: 4,
      });
      expect(response.error?.message).toContain(
        `protocol mismatch: this client speaks v${minProtocol}-v${maxProtocol}`,
      );
      expect((await client.waitClosed(2000)).code).toBe(1002);
      expect(Date.now() - startedAt).toBeLessThan(2000);
    }
  });

  it("answers unknown methods with an error and keeps the socket", async () => {
    const { client } = await TestWsClient.connect(gateway.url);
    const response = await client.request("no.such.method");
    expect(response.ok).toBe(false);
    // The exact text OpenClaw's clients compare to before falling back to an older method.
    expect(response.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "unknown method: no.such.method",
    });
    expect((await client.request("constructor")).error?.message).toBe("unknown method: constructor");
    expect((await client.request("health")).ok).toBe(true);
    client.close();
  });

  it("lists agents and streams a chat turn as chat events", async () => {
    const { client } = await TestWsClient.connect(gateway.url);
    const agents = await client.request("agents.list");
    expect((agents.payload?.agents as { id: string }[]).map((agent) => agent.id)).toEqual([
      "main",
      "research",
    ]);
    const sessionKey = "agent:research:ws-test";
    const sent = await client.request("chat.send", {
      sessionKey,
      message: "tell me more",
      idempotencyKey: "k-1",
    });
    expect(sent.payload).toEqual({ runId: "k-1", status: "started" });
    const runId = sent.payload?.runId as string;
    const final = await client.waitFor(
      (frame) => frame.event === "chat" && frame.payload?.runId === runId && frame.payload?.state === "final",
    );
    const deltas = client.frames.filter(
      (frame) => frame.event === "chat" && frame.payload?.runId === runId && frame.payload?.state === "delta",
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((frame) => frame.payload?.deltaText).join("")).toBe("You said: tell me more");
    expect(final.payload?.agentId).toBe("research");
    // A retry with the same idempotency key returns the same run instead of a second turn.
    const retry = await client.request("chat.send", {
      sessionKey,
      message: "tell me more",
      idempotencyKey: "k-1",
    });
    expect(retry.payload?.runId).toBe(runId);
    // runId is the key, so the answer alone cannot tell a second turn from none: a later turn of
    // the same session (turns of a session run in order) shows whether the retry started one.
    const later = await client.request("chat.send", {
      sessionKey,
      message: "and then?",
      idempotencyKey: "k-2",
    });
    await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        frame.payload?.runId === later.payload?.runId &&
        frame.payload?.state === "final",
    );
    const history = await client.request("chat.history", { sessionKey });
    const messages = history.payload?.messages as { role: string; content: { text: string }[] }[];
    expect(messages.map((message) => [message.role, message.content[0]?.text])).toEqual([
      ["user", "tell me more"],
      ["assistant", "You said: tell me more"],
      ["user", "and then?"],
      ["assistant", "You said: and then?"],
    ]);
    const starts = client.frames.filter(
      (frame) =>
        frame.event === "agent" &&
        frame.payload?.runId === runId &&
        (frame.payload?.data as { phase?: string }).phase === "start",
    );
    expect(starts).toHaveLength(1);
    const sessions = await client.request("sessions.list");
    expect(sessions.payload?.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: sessionKey, kind: "direct", agentId: "research" }),
      ]),
    );
    client.close();
  });

  it("reports tool calls as agent events", async () => {
    const { client } = await TestWsClient.connect(gateway.url);
    const sent = await client.request("chat.send", {
      sessionKey: "agent:main:tools",
      message: '/tool echo {"text":"via ws"}',
      idempotencyKey: "k-tool",
    });
    const runId = sent.payload?.runId;
    const final = await client.waitFor(
      (frame) => frame.event === "chat" && frame.payload?.runId === runId && frame.payload?.state === "final",
    );
    const toolEvents = client.frames.filter(
      (frame) =>
        frame.event === "agent" && frame.payload?.runId === runId && frame.payload?.stream === "tool",
    );
    expect(toolEvents.map((frame) => (frame.payload?.data as { phase: string }).phase)).toEqual([
      "start",
      "result",
    ]);
    expect((final.payload?.message as { content: { text: string }[] }).content[0]?.text).toBe(
      "Tool echo returned: via ws",
    );
    client.close();
  });

  it("refuses chat.send for an unknown agent with a typed error", async () => {
    const { client } = await TestWsClient.connect(gateway.url);
    const response = await client.request("chat.send", {
      sessionKey: "agent:ghost:x",
      message: "hi",
      idempotencyKey: "k-ghost",
    });
    expect(response.ok).toBe(false);
    expect(response.error?.details?.code).toBe("UNKNOWN_AGENT_ID");
    client.close();
  });
});

describe("sessions survive a restart", () => {
  it("chat.history returns the turns of the previous process", async () => {
    const home = await tempHome();
    try {
      const first = await startGateway(home);
      const { client } = await TestWsClient.connect(first.url, { auth: { token: first.token } });
      const sent = await client.request("chat.send", {
        sessionKey: "agent:main:durable",
        message: "remember me",
        idempotencyKey: "d-1",
      });
      await client.waitFor(
        (frame) =>
          frame.event === "chat" &&
          frame.payload?.runId === sent.payload?.runId &&
          frame.payload?.state === "final",
      );
      client.close();
      await first.stop();
      const second = await startGateway(home);
      const { client: again } = await TestWsClient.connect(second.url, { auth: { token: second.token } });
      const history = await again.request("chat.history", { sessionKey: "agent:main:durable" });
      expect((history.payload?.messages as unknown[]).length).toBe(2);
      again.close();
      await second.stop();
    } finally {
      await home.cleanup();
    }
  });
});
