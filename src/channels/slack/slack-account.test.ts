import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingSink } from "../telegram/testing/recording-sink.js";
import { createSlackAccount, type SlackAccount } from "./index.js";
import type { SlackAccountOptions } from "./slack-account-options.js";
import { FakeSlack } from "./testing/fake-slack.js";

const BOT_TOKEN = "xoxb-unit-bot-token-0123456789";
const APP_TOKEN = "xapp-1-unit-app-token-0123456789";

let fake: FakeSlack;
let apiUrl: string;
let account: SlackAccount | undefined;
let sink: RecordingSink;

beforeEach(async () => {
  fake = new FakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  ({ apiUrl } = await fake.start());
  sink = new RecordingSink();
});
afterEach(async () => {
  await account?.stop();
  account = undefined;
  await fake.stop();
});

const socketAccount = (overrides: Partial<SlackAccountOptions> = {}) => {
  account = createSlackAccount({
    accountId: "default",
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    mode: "socket",
    apiUrl,
    reconnectBaseMs: 50,
    ...overrides,
  });
  return account;
};

describe("slack account (socket mode)", () => {
  it("connects with auth.test and apps.connections.open, and says who it is", async () => {
    const identity = await socketAccount().start(sink);
    expect(identity).toEqual({ id: "U0BOTUSER", username: "openclaw", name: "openclaw" });
    expect(fake.socketMode.connected()).toBe(1);
    expect(account?.capabilities).toEqual({ edit: true, typing: false, threads: "child" });
  });

  it("delivers an event, then acks its envelope; one mention sent twice is one message id", async () => {
    await socketAccount().start(sink);
    await fake.userSends({
      channel: "C1",
      channelType: "channel",
      user: "U1",
      text: "<@U0BOTUSER> hi",
      appMention: true,
    });
    await fake.waitFor(
      () => fake.socketMode.envelopes.length === 2 && fake.socketMode.envelopes.every((e) => e.ackedAt),
    );
    const ids = sink.messages().map((message) => message.messageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(sink.messages()[0]).toMatchObject({
      peer: { kind: "channel", id: "C1" },
      mentioned: true,
      routing: { teamId: "T0TEAM" },
    });
  });

  it("leaves an envelope unacked when the sink refuses it, and takes the redelivery", async () => {
    await socketAccount().start(sink);
    sink.refuseNext(1);
    await fake.userSends({ channel: "D1", channelType: "im", user: "U1", text: "keep me" });
    await fake.waitFor(() => sink.attempts.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.socketMode.envelopes[0]?.ackedAt).toBeUndefined();
    fake.socketMode.redeliverUnacked();
    await fake.waitFor(() => fake.socketMode.envelopes[0]?.ackedAt !== undefined);
    expect(sink.messages().map((message) => message.text)).toEqual(["keep me"]);
  });

  it("reconnects after Slack's disconnect message and after a dropped connection", async () => {
    await socketAccount().start(sink);
    fake.socketMode.sendDisconnect();
    await fake.waitFor(
      () => fake.socketMode.connectionsOpened === 2 && fake.socketMode.connected() === 1,
      5000,
    );
    fake.socketMode.dropConnections();
    await fake.waitFor(
      () => fake.socketMode.connectionsOpened === 3 && fake.socketMode.connected() === 1,
      5000,
    );
    await fake.userSends({ channel: "C1", channelType: "channel", user: "U1", text: "after reconnect" });
    await fake.waitFor(() => sink.messages().length === 1);
    expect(sink.warnings.some((warning) => /reconnecting/.test(warning.message))).toBe(true);
    expect(sink.failures).toEqual([]);
  });

  it("refuses a bad bot token or app token with OC_ERR_CHANNEL_AUTH", async () => {
    await expect(socketAccount({ botToken: "xoxb-wrong" }).start(sink)).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_AUTH",
      message: expect.stringContaining("botToken: invalid_auth"),
    });
    await expect(socketAccount({ appToken: "xapp-wrong" }).start(sink)).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_AUTH",
      message: expect.stringContaining("appToken: invalid_auth"),
    });
    expect(fake.socketMode.connectionsOpened).toBe(0);
  });

  it("fails the account when a reconnect finds the app token revoked", async () => {
    await socketAccount().start(sink);
    fake.revokeAppToken();
    fake.socketMode.dropConnections();
    await fake.waitFor(() => sink.failures.length === 1, 5000);
    expect(sink.failures[0]).toMatchObject({
      code: "OC_ERR_CHANNEL_AUTH",
      message: 'slack account "default" was refused: appToken: token_revoked',
    });
  });

  it("rejects with OC_ERR_CHANNEL_CONNECT when Slack cannot be reached", async () => {
    await fake.stop();
    const started = Date.now();
    await expect(socketAccount({ apiAttempts: 2 }).start(sink)).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_CONNECT",
      message: expect.stringMatching(/auth\.test failed: network error \(ECONNREFUSED\)/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("needs an app token in socket mode and a signing secret in http mode", () => {
    expect(() => createSlackAccount({ accountId: "default", botToken: BOT_TOKEN, mode: "socket" })).toThrow(
      expect.objectContaining({ code: "OC_ERR_CONFIG_INVALID" }),
    );
    expect(() => createSlackAccount({ accountId: "work", botToken: BOT_TOKEN, mode: "http" })).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining("channels.slack.accounts.work.signingSecret"),
      }),
    );
  });
});

describe("slack account outbound", () => {
  beforeEach(async () => {
    await socketAccount().start(sink);
  });

  it("posts in the thread it is given, as mrkdwn, without unfurling links", async () => {
    const { messageId } = await account!.send(
      { peer: { kind: "channel", id: "C1" }, threadId: "1700000000.000100" },
      "**done**: see [docs](https://e.com)",
    );
    expect(fake.posted()).toMatchObject([
      {
        method: "chat.postMessage",
        channel: "C1",
        threadTs: "1700000000.000100",
        text: "*done*: see <https://e.com|docs>",
      },
    ]);
    expect(fake.posted()[0]?.fields.unfurl_links).toBe("false");
    expect(messageId).toBe(`C1:${fake.posted()[0]?.ts}`);
    await account!.edit({ peer: { kind: "channel", id: "C1" } }, messageId, "_edited_");
    expect(fake.posted()[1]).toMatchObject({
      method: "chat.update",
      ts: fake.posted()[0]?.ts,
      text: "_edited_",
    });
  });

  it("answers a DM in the IM channel the message came from, and opens one for a user it has not heard", async () => {
    await fake.userSends({ channel: "D77", channelType: "im", user: "U77", text: "hello" });
    await fake.waitFor(() => sink.messages().length === 1);
    await account!.send({ peer: { kind: "direct", id: "U77" } }, "hi back");
    await account!.send({ peer: { kind: "direct", id: "U88" } }, "hi stranger");
    expect(fake.posted().map((entry) => entry.channel)).toEqual(["D77", fake.imOf("U88")]);
    expect(fake.calls().filter((call) => call.method === "conversations.open")).toHaveLength(1);
  });

  it("creates a thread: the intro is a new top-level message whose ts is the thread", async () => {
    const { threadId } = await account!.createThread!(
      { peer: { kind: "channel", id: "C5" } },
      "ignored",
      "Working on it",
    );
    expect(fake.posted()).toMatchObject([
      { channel: "C5", threadTs: undefined, text: "Working on it", ts: threadId },
    ]);
    await account!.send({ peer: { kind: "channel", id: "C5" }, threadId }, "inside");
    expect(fake.posted()[1]).toMatchObject({ channel: "C5", threadTs: threadId });
  });

  it("waits out a 429 and sends once", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await account!.send({ peer: { kind: "channel", id: "C1" } }, "patient");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.posted().map((entry) => entry.text)).toEqual(["patient"]);
  });

  it("turns Slack's refusals into send errors; a revoked token fails the account and keeps the reply", async () => {
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    await expect(account!.send({ peer: { kind: "channel", id: "C404" } }, "x")).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_SEND",
      retryable: false,
      message: "slack chat.postMessage refused: channel_not_found",
      hint: expect.stringContaining("/invite"),
    });
    expect(sink.failures).toEqual([]);
    fake.revokeBotToken();
    await expect(account!.send({ peer: { kind: "channel", id: "C1" } }, "x")).rejects.toMatchObject({
      retryable: true,
      message: "slack chat.postMessage refused: token_revoked",
      hint: expect.stringContaining("botToken"),
    });
    expect(sink.failures).toMatchObject([
      {
        code: "OC_ERR_CHANNEL_AUTH",
        message: 'slack account "default" was refused: botToken: token_revoked',
      },
    ]);
  });

  it("has no typing indicator and chunks under 4000 characters", async () => {
    await expect(account!.typing({ peer: { kind: "channel", id: "C1" } })).resolves.toBeUndefined();
    expect(
      fake.calls().filter((call) => call.method !== "auth.test" && call.method !== "apps.connections.open"),
    ).toEqual([]);
    const pieces = account!.chunk("word ".repeat(2000));
    expect(pieces.length).toBe(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(4000);
  });
});
