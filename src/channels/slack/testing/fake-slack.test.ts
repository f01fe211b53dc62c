import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SocketModeClient } from "@slack/socket-mode";
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifySlackSignature } from "../slack-signature.js";
import { FakeSlack } from "./fake-slack.js";

const BOT_TOKEN = "xoxb-fake-test-bot-token";
const APP_TOKEN = "xapp-1-fake-test-app-token";
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => "error",
  setName() {},
};

let fake: FakeSlack;
let apiUrl: string;

beforeEach(async () => {
  fake = new FakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  ({ apiUrl } = await fake.start());
});
afterEach(async () => {
  await fake.stop();
});

const web = (token: string) =>
  new WebClient(token, {
    slackApiUrl: apiUrl,
    logger: quiet as never,
    retryConfig: { retries: 2, minTimeout: 10 },
  });

describe("fake Slack Web API", () => {
  it("answers auth.test for the bot token and refuses others as Slack does", async () => {
    await expect(web(BOT_TOKEN).auth.test()).resolves.toMatchObject({
      ok: true,
      user_id: "U0BOTUSER",
      team_id: "T0TEAM",
    });
    await expect(web("xoxb-wrong").auth.test()).rejects.toMatchObject({
      code: "slack_webapi_platform_error",
      data: { error: "invalid_auth" },
    });
    await expect(web(APP_TOKEN).auth.test()).rejects.toMatchObject({
      data: { error: "not_allowed_token_type" },
    });
    fake.revokeBotToken();
    await expect(web(BOT_TOKEN).auth.test()).rejects.toMatchObject({ data: { error: "token_revoked" } });
  });

  it("records posts and edits, with their thread", async () => {
    const client = web(BOT_TOKEN);
    const posted = await client.chat.postMessage({ channel: "C1", text: "hi", thread_ts: "1.000001" });
    expect(posted).toMatchObject({ ok: true, channel: "C1" });
    await client.chat.update({ channel: "C1", ts: posted.ts!, text: "hi again" });
    await expect(client.chat.update({ channel: "C1", ts: "9.9", text: "x" })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
    expect(fake.posted().map(({ method, text, threadTs }) => ({ method, text, threadTs }))).toEqual([
      { method: "chat.postMessage", text: "hi", threadTs: "1.000001" },
      { method: "chat.update", text: "hi again", threadTs: "1.000001" },
    ]);
    const opened = await client.conversations.open({ users: "U9" });
    expect(opened.channel?.id).toBe(fake.imOf("U9"));
  });

  it("answers 429 with Retry-After, which the client waits out", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await web(BOT_TOKEN).chat.postMessage({ channel: "C1", text: "later" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(
      fake
        .calls()
        .filter((call) => call.method === "chat.postMessage")
        .map((call) => call.status),
    ).toEqual([429, 200]);
    expect(fake.posted()).toHaveLength(1);
  });
});

describe("fake Socket Mode", () => {
  it("hands out a WebSocket URL, says hello, delivers envelopes and records acks", async () => {
    const client = new SocketModeClient({
      appToken: APP_TOKEN,
      logger: quiet as never,
      clientOptions: { slackApiUrl: apiUrl },
      autoReconnectEnabled: false,
    });
    const received: string[] = [];
    client.on(
      "slack_event",
      async ({ ack, body }: { ack: () => Promise<void>; body: { event: { text: string } } }) => {
        received.push(body.event.text);
        await ack();
      },
    );
    await client.start();
    expect(fake.socketMode.connected()).toBe(1);
    await fake.userSends({ channel: "C1", channelType: "channel", user: "U1", text: "over the socket" });
    await fake.waitFor(() => fake.socketMode.envelopes.every((envelope) => envelope.ackedAt !== undefined));
    expect(received).toEqual(["over the socket"]);

    // Slack's disconnect message closes the connection; a new start gets a fresh URL.
    const disconnected = new Promise((resolve) => client.once("disconnected", resolve));
    fake.socketMode.sendDisconnect();
    await disconnected;
    expect(fake.socketMode.connected()).toBe(0);
    await client.start();
    expect(fake.socketMode.connectionsOpened).toBe(2);
    await client.disconnect();
  });

  it("refuses a WebSocket without a ticket from apps.connections.open, and the wrong app token", async () => {
    const client = new SocketModeClient({
      appToken: "xapp-wrong",
      logger: quiet as never,
      autoReconnectEnabled: false,
      clientOptions: { slackApiUrl: apiUrl },
    });
    await expect(client.start()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    expect(fake.socketMode.connectionsOpened).toBe(0);
  });
});

describe("fake Events API pusher", () => {
  let server: Server;
  const seen: { status: number; headers: Record<string, unknown> }[] = [];
  beforeEach(async () => {
    seen.length = 0;
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const verdict = verifySlackSignature({
          signingSecret: "s3cret",
          timestamp: request.headers["x-slack-request-timestamp"] as string | undefined,
          signature: request.headers["x-slack-signature"] as string | undefined,
          rawBody: Buffer.concat(chunks),
        });
        const status = verdict.ok ? (seen.length === 0 ? 500 : 200) : 401;
        seen.push({ status, headers: request.headers });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.routeEventsTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, "s3cret");
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("signs as Slack does and retries a 500 with X-Slack-Retry-Num", async () => {
    const { statuses } = await fake.userSends({
      channel: "C1",
      channelType: "channel",
      user: "U1",
      text: "signed",
    });
    expect(statuses).toEqual([200]);
    expect(seen.map((entry) => entry.status)).toEqual([500, 200]);
    expect(seen[1]?.headers["x-slack-retry-num"]).toBe("1");
  });

  it("can sign badly, send an old timestamp or leave headers out", async () => {
    seen.push({ status: 0, headers: {} });
    const input = { channel: "C1", channelType: "channel" as const, user: "U1", text: "x" };
    expect((await fake.userSends(input, { badSignature: true })).statuses).toEqual([401]);
    expect((await fake.userSends(input, { ageSeconds: 301 })).statuses).toEqual([401]);
    expect((await fake.userSends(input, { omit: ["signature"] })).statuses).toEqual([401]);
    expect(
      (await fake.userSends(input, { tamperBody: (body) => body.replace('"x"', '"y"') })).statuses,
    ).toEqual([401]);
    expect((await fake.userSends(input)).statuses).toEqual([200]);
  });
});
