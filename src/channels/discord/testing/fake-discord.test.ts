import { REST } from "@discordjs/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { FakeDiscord } from "./fake-discord.js";

const TOKEN = "fake-test-token.abc.def";
let fake: FakeDiscord;
let apiBase: string;

beforeEach(async () => {
  fake = new FakeDiscord({ token: TOKEN, heartbeatIntervalMs: 100, rateLimit: { limit: 2, windowMs: 1000 } });
  ({ apiBase } = await fake.start());
});
afterEach(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${apiBase}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${token}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** A raw gateway client: every payload it got, and a way to wait for one. */
async function gatewayClient(url: string) {
  const socket = new WebSocket(url);
  const received: { op: number; t: string | null; s: number | null; d: unknown }[] = [];
  let closed: number | undefined;
  socket.on("message", (data) => received.push(JSON.parse(String(data))));
  socket.on("close", (code) => {
    closed = code;
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const until = async <T>(check: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const value = check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("gateway client: timed out");
  };
  return {
    received,
    send: (payload: unknown) => socket.send(JSON.stringify(payload)),
    dispatch: (t: string) => until(() => received.find((payload) => payload.t === t)),
    op: (op: number) => until(() => received.find((payload) => payload.op === op)),
    closed: () => until(() => closed),
    close: () => socket.terminate(),
  };
}

const identify = (token = TOKEN, intents = 1 | 512 | 4096 | 32768) => ({
  op: 2,
  d: { token, intents, properties: { os: "linux", browser: "test", device: "test" }, shard: [0, 1] },
});

describe("fake Discord REST", () => {
  it("answers 401 without the bot token and 404 for unknown routes, as Discord does", async () => {
    expect(await call("GET", "/users/@me", undefined, "wrong")).toMatchObject({
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
    expect((await call("GET", "/nothing/here")).status).toBe(404);
    expect((await call("GET", "/gateway/bot")).body).toMatchObject({
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
      shards: 1,
    });
  });

  it("sends rate-limit headers and answers 429 with Retry-After once a bucket is spent", async () => {
    const { channelIds } = fake.createGuild("G", ["general"]);
    const path = `/channels/${channelIds[0]}/messages`;
    const first = await call("POST", path, { content: "one" });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect(Number(first.headers.get("x-ratelimit-reset-after"))).toBeGreaterThan(0);
    expect(first.headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]{16}$/);
    await call("POST", path, { content: "two" });
    const third = await call("POST", path, { content: "three" });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(third.body).toMatchObject({ message: "You are being rate limited.", global: false });
    expect(fake.sent().map((entry) => entry.content)).toEqual(["one", "two"]);
  });

  it("refuses content over 2000 characters and edits of others' messages, with Discord's codes", async () => {
    const { channelIds } = fake.createGuild("G", ["general"]);
    const channelId = channelIds[0]!;
    const long = await call("POST", `/channels/${channelId}/messages`, { content: "x".repeat(2001) });
    expect(long).toMatchObject({ status: 400, body: { code: 50035, message: "Invalid Form Body" } });
    const user = fake.user("42", "u");
    const theirs = fake.userSendsInChannel({ user, channelId, text: "mine" });
    expect(
      (await call("PATCH", `/channels/${channelId}/messages/${theirs.id}`, { content: "no" })).body,
    ).toMatchObject({
      code: 50005,
    });
    expect((await call("POST", "/channels/1/messages", { content: "x" })).body).toMatchObject({
      code: 10003,
    });
  });

  it("is waited out by the real REST client, which reads the headers and never gets a 429", async () => {
    const { channelIds } = fake.createGuild("G", ["general"]);
    const rest = new REST({ api: apiBase, version: "10" }).setToken(TOKEN);
    const startedAt = Date.now();
    for (const content of ["a", "b", "c"])
      await rest.post(`/channels/${channelIds[0]}/messages`, { body: { content } });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(fake.rateLimited()).toEqual([]);
    expect(fake.sent()).toHaveLength(3);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
});

describe("fake Discord gateway", () => {
  it("says HELLO, acks heartbeats, and answers IDENTIFY with READY then GUILD_CREATE", async () => {
    const { guild } = fake.createGuild("G", ["general"]);
    const url = `${(await call("GET", "/gateway/bot")).body.url as string}/?v=10&encoding=json`;
    const client = await gatewayClient(url);
    expect(((await client.op(10)).d as { heartbeat_interval: number }).heartbeat_interval).toBe(100);
    client.send({ op: 1, d: null });
    await client.op(11);
    client.send(identify());
    const ready = (await client.dispatch("READY")).d as {
      session_id: string;
      resume_gateway_url: string;
      guilds: unknown;
    };
    expect(ready.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect(ready.resume_gateway_url).toMatch(/\/resume$/);
    expect(ready.guilds).toEqual([{ id: guild.id, unavailable: true }]);
    expect(((await client.dispatch("GUILD_CREATE")).d as { id: string }).id).toBe(guild.id);
    expect(client.received.filter((payload) => payload.op === 0).map((payload) => payload.s)).toEqual([1, 2]);
    client.close();
  });

  it("closes 4004 on a wrong token, 4003 before IDENTIFY, 4014 for a privileged intent not granted", async () => {
    const url = `${(await call("GET", "/gateway/bot")).body.url}/?v=10&encoding=json`;
    const wrong = await gatewayClient(url);
    wrong.send(identify("nope"));
    expect(await wrong.closed()).toBe(4004);
    const early = await gatewayClient(url);
    early.send({ op: 8, d: {} });
    expect(await early.closed()).toBe(4003);
    const strict = new FakeDiscord({ token: TOKEN, messageContentAllowed: false });
    const { apiBase: strictBase } = await strict.start();
    const strictUrl = `${strictBase.replace("http", "ws").replace(/\/api$/, "")}/?v=10&encoding=json`;
    const privileged = await gatewayClient(strictUrl);
    privileged.send(identify());
    expect(await privileged.closed()).toBe(4014);
    await strict.stop();
  });

  it("replays missed events on RESUME, and sends INVALID_SESSION for an unknown session", async () => {
    const url = `${(await call("GET", "/gateway/bot")).body.url}/?v=10&encoding=json`;
    const first = await gatewayClient(url);
    first.send(identify());
    const ready = await first.dispatch("READY");
    const { session_id: sessionId, resume_gateway_url: resumeUrl } = ready.d as Record<string, string>;
    fake.dropConnection();
    const alice = fake.user("42", "alice");
    fake.userSendsDm(alice, "while away");
    const resumed = await gatewayClient(`${resumeUrl}?v=10&encoding=json`);
    resumed.send({ op: 6, d: { token: TOKEN, session_id: sessionId, seq: ready.s } });
    const replayed = await resumed.dispatch("MESSAGE_CREATE");
    expect((replayed.d as { content: string }).content).toBe("while away");
    expect(replayed.s).toBe((ready.s ?? 0) + 1);
    await resumed.dispatch("RESUMED");
    const stale = await gatewayClient(`${resumeUrl}?v=10&encoding=json`);
    stale.send({ op: 6, d: { token: TOKEN, session_id: "0".repeat(32), seq: 1 } });
    expect((await stale.op(9)).d).toBe(false);
    resumed.close();
    stale.close();
  });

  it("filters by intent: no DMs without DIRECT_MESSAGES, no content without MESSAGE_CONTENT", async () => {
    const { channelIds } = fake.createGuild("G", ["general"]);
    const url = `${(await call("GET", "/gateway/bot")).body.url}/?v=10&encoding=json`;
    const client = await gatewayClient(url);
    client.send(identify(TOKEN, 1 | 512));
    await client.dispatch("READY");
    const alice = fake.user("42", "alice");
    fake.userSendsDm(alice, "dm");
    fake.userSendsInChannel({ user: alice, channelId: channelIds[0]!, text: "secret" });
    fake.userSendsInChannel({ user: alice, channelId: channelIds[0]!, text: "to you", mention: "user" });
    await client.dispatch("MESSAGE_CREATE");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const contents = client.received
      .filter((payload) => payload.t === "MESSAGE_CREATE")
      .map((payload) => (payload.d as { content: string }).content);
    expect(contents).toEqual(["", `<@${fake.bot.id}> to you`]);
    client.close();
  });
});
