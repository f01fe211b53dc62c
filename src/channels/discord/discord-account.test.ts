import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import type { ChannelAccount, OutboundTarget } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { RecordingSink } from "../telegram/testing/recording-sink.js";
import { everythingIn, rejectionOf } from "../testing/error-exposure.js";
import { createDiscordAccount, type DiscordAccountOptions } from "./index.js";
import { FakeDiscord } from "./testing/fake-discord.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.account-test-token-canary_0123456789";
const fake = new FakeDiscord({
  token: TOKEN,
  heartbeatIntervalMs: 200,
  rateLimit: { limit: 50, windowMs: 1000 },
});
let apiBase = "";
const alice = fake.user("1400000000000000001", "alice", "Alice");
const { guild, channelIds } = fake.createGuild("Team", ["general", "random"]);
const [general = ""] = channelIds;

beforeAll(async () => {
  ({ apiBase } = await fake.start());
});
afterAll(() => fake.stop());

const running: ChannelAccount[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((account) => account.stop()));
});

async function started(overrides: Partial<DiscordAccountOptions> = {}) {
  const account = createDiscordAccount({ accountId: "default", token: TOKEN, apiBase, ...overrides });
  running.push(account);
  const sink = new RecordingSink();
  const identity = await account.start(sink);
  return { account, sink, identity };
}

const inGeneral: OutboundTarget = { peer: { kind: "channel", id: general } };

describe("discord account: connecting", () => {
  it("identifies with the four intents and starts with the bot's identity", async () => {
    const before = fake.connections().length;
    const { account, identity } = await started();
    expect(identity).toEqual({ id: fake.bot.id, username: "claw", name: "OpenClaw Test" });
    expect(account.capabilities).toEqual({ edit: true, typing: true, threads: "child" });
    const connection = fake.connections()[before];
    expect(connection?.query).toEqual({ v: "10", encoding: "json" });
    // Guilds | GuildMessages | DirectMessages | MessageContent
    expect(connection?.identify?.intents).toBe(1 | 512 | 4096 | 32768);
  });

  it("refuses a bad token with OC_ERR_CHANNEL_AUTH and never shows it", async () => {
    const bad = "MTMw.bad.never-shown-token-xyz";
    const account = createDiscordAccount({ accountId: "default", token: bad, apiBase });
    const error = await rejectionOf(account.start(new RecordingSink()));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_AUTH");
    expect(everythingIn(error)).not.toContain("never-shown-token");
  });

  it("says which switch to flip when Message Content is not enabled for the bot (4014)", async () => {
    const strict = new FakeDiscord({ token: TOKEN, messageContentAllowed: false });
    const { apiBase: strictBase } = await strict.start();
    try {
      const account = createDiscordAccount({ accountId: "default", token: TOKEN, apiBase: strictBase });
      const sink = new RecordingSink();
      const error = await rejectionOf(account.start(sink));
      expect((error as Error).message).toContain("4014");
      // `start` rejecting is the one report: the supervisor must not also get a `fail`.
      expect(sink.failures).toEqual([]);
      expect(isOpenClawError(error) && error.hint).toContain("Message Content Intent");
      await account.stop();
    } finally {
      await strict.stop();
    }
  });
});

describe("discord account: receiving", () => {
  it("delivers a DM, a mention, a role mention and an unmentioned message with routing", async () => {
    const { sink } = await started();
    fake.userSendsDm(alice, "hello bot");
    fake.userSendsInChannel({ user: alice, channelId: general, text: "hi there", mention: "user" });
    fake.userSendsInChannel({ user: alice, channelId: general, text: "role ping", mention: "role" });
    fake.userSendsInChannel({ user: alice, channelId: general, text: "just chatting" });
    await fake.waitFor(() => sink.messages().length === 4, 5000);
    const [dm, mention, role, plain] = sink.messages();
    expect(dm).toMatchObject({
      peer: { kind: "direct", id: alice.id },
      text: "hello bot",
      channel: "discord",
    });
    expect(dm?.routing).toBeUndefined();
    expect(mention).toMatchObject({
      peer: { kind: "channel", id: general },
      mentioned: true,
      text: "@claw hi there",
      routing: { guildId: guild.id },
      sender: { id: alice.id, name: "Alice", username: "alice" },
    });
    expect(role?.mentioned).toBe(true);
    expect(plain?.mentioned).toBe(false);
    // The bot's own replies come back on the gateway too; they are never delivered.
  });

  it("warns when a message cannot be stored, and goes on with the next", async () => {
    const { sink } = await started();
    sink.refuseNext();
    fake.userSendsDm(alice, "lost to a full disk");
    fake.userSendsDm(alice, "stored");
    await fake.waitFor(() => sink.messages().length === 1, 5000);
    expect(sink.messages()[0]?.text).toBe("stored");
    expect(sink.warnings.map((warning) => warning.message)).toEqual([
      "discord message lost: it could not be stored",
    ]);
  });

  it("files a thread message under its parent channel, with the thread as threadId", async () => {
    const { sink } = await started();
    const thread = fake.userCreatesThread(general, "design");
    fake.userSendsInChannel({ user: alice, channelId: thread.id, text: "in the thread", mention: "user" });
    await fake.waitFor(() => sink.messages().length === 1, 5000);
    expect(sink.messages()[0]).toMatchObject({
      peer: { kind: "channel", id: general },
      threadId: thread.id,
      messageId: expect.stringMatching(new RegExp(`^${thread.id}:\\d+$`)),
    });
  });

  it("looks up the parent of a thread the gateway never announced", async () => {
    const { sink } = await started();
    const thread = fake.userCreatesThread(general, "old thread", { announce: false });
    fake.userSendsInChannel({ user: alice, channelId: thread.id, text: "hello from an old thread" });
    await fake.waitFor(() => sink.messages().length === 1, 5000);
    expect(sink.messages()[0]).toMatchObject({ peer: { kind: "channel", id: general }, threadId: thread.id });
  });

  it("resumes a dropped connection and gets what was sent meanwhile", async () => {
    const { sink } = await started();
    const before = fake.connections().length;
    fake.dropConnection();
    fake.userSendsDm(alice, "while you were away");
    await fake.waitFor(() => sink.messages().length === 1, 10_000);
    const resumed = fake.connections().slice(before);
    expect(resumed.map((connection) => connection.path)).toEqual(["/resume"]);
    expect(resumed[0]?.ops).toContain(6);
    expect(resumed[0]?.ops).not.toContain(2);
    expect(sink.messages()[0]?.text).toBe("while you were away");
  });

  it("identifies again when the session cannot be resumed", { timeout: 30_000 }, async () => {
    const { sink } = await started();
    const before = fake.connections().length;
    fake.invalidateSessions();
    fake.dropConnection();
    // The client tries to resume, is told the session is gone, and identifies afresh.
    await fake.waitFor(
      () =>
        fake
          .connections()
          .slice(before)
          .some((entry) => entry.identify !== undefined),
      15_000,
    );
    const [retry, fresh] = fake.connections().slice(before);
    expect(retry?.ops).toContain(6);
    expect(fresh?.ops).toContain(2);
    fake.userSendsDm(alice, "after a new session");
    await fake.waitFor(
      () => sink.messages().some((message) => message.text === "after a new session"),
      10_000,
    );
  });

  it("fails with OC_ERR_CHANNEL_CONNECT when the gateway stays unreachable after a drop", async () => {
    const other = new FakeDiscord({ token: TOKEN, heartbeatIntervalMs: 200 });
    const { apiBase: otherBase } = await other.start();
    try {
      const { sink } = await started({ apiBase: otherBase, reconnectTimeoutMs: 1500 });
      other.refuseGatewayConnections(true);
      other.dropConnection();
      await other.waitFor(() => sink.failures.length === 1, 5000);
      expect(isOpenClawError(sink.failures[0]) && sink.failures[0].code).toBe("OC_ERR_CHANNEL_CONNECT");
      expect((sink.failures[0] as Error).message).toContain("down for 2 s");
    } finally {
      await other.stop();
    }
  });

  it("fails with OC_ERR_CHANNEL_AUTH when the token is reset while running (4004)", async () => {
    const other = new FakeDiscord({ token: TOKEN, heartbeatIntervalMs: 200 });
    const { apiBase: otherBase } = await other.start();
    try {
      const { sink } = await started({ apiBase: otherBase });
      other.revokeToken();
      await other.waitFor(() => sink.failures.length === 1, 5000);
      const [failure] = sink.failures;
      expect(isOpenClawError(failure) && failure.code).toBe("OC_ERR_CHANNEL_AUTH");
      expect((failure as Error).message).toContain("4004");
    } finally {
      await other.stop();
    }
  });
});

describe("discord account: sending", () => {
  it("sends, edits, shows typing, and replies to the message it answers", async () => {
    const { account } = await started();
    const asked = fake.userSendsInChannel({ user: alice, channelId: general, text: "q", mention: "user" });
    const { messageId } = await account.send(
      { ...inGeneral, replyToMessageId: `${general}:${asked.id}` },
      "**bold** and `code`",
    );
    expect(messageId).toMatch(new RegExp(`^${general}:\\d+$`));
    await account.edit(inGeneral, messageId, "edited");
    await account.typing(inGeneral);
    const sent = fake.sent().filter((entry) => entry.channelId === general);
    expect(sent.at(-2)).toMatchObject({
      method: "create",
      content: "**bold** and `code`",
      replyTo: asked.id,
      flags: 4,
    });
    expect(sent.at(-2)?.allowedMentions).toEqual({ parse: ["users"], replied_user: true });
    expect(sent.at(-1)).toMatchObject({ method: "edit", content: "edited" });
    expect(fake.typingCalls().at(-1)?.channelId).toBe(general);
  });

  it("shows a live preview longer than a Discord message as its start and an ellipsis", async () => {
    const { account } = await started();
    const { messageId } = await account.send(inGeneral, "x".repeat(2500));
    await account.edit(inGeneral, messageId, "y".repeat(3500));
    const [sent, edited] = fake.sent().slice(-2);
    expect(sent?.content).toBe(`${"x".repeat(1999)}…`);
    expect(edited?.content).toBe(`${"y".repeat(1999)}…`);
  });

  it("opens a DM channel for a user it has not heard from", async () => {
    const { account } = await started();
    const bob = fake.user("1400000000000000002", "bob");
    await account.send({ peer: { kind: "direct", id: bob.id } }, "hi bob");
    expect(fake.botMessagesIn(fake.dmChannelId(bob.id)).map((message) => message.content)).toEqual([
      "hi bob",
    ]);
  });

  it("waits out a 429 and sends once", async () => {
    const { account } = await started();
    fake.rateLimitNext("POST /channels/:id/messages", 1200);
    const startedAt = Date.now();
    await account.send(inGeneral, "after the limit");
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1100);
    expect(fake.rateLimited().at(-1)).toMatchObject({ template: "POST /channels/:id/messages" });
    expect(fake.sent().filter((entry) => entry.content === "after the limit")).toHaveLength(1);
  });

  it("hands a long 429 back to the core as retryable with retryAfterMs", async () => {
    const { account } = await started();
    fake.rateLimitNext("POST /channels/:id/messages", 60_000);
    const error = await rejectionOf(account.send(inGeneral, "too long a wait"));
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).retryable).toBe(true);
    expect((error as ChannelSendError).retryAfterMs).toBeGreaterThanOrEqual(59_000);
  });

  it("refuses a send to an unknown channel without retrying, with a hint", async () => {
    const { account } = await started();
    const error = await rejectionOf(account.send({ peer: { kind: "channel", id: "999" } }, "x"));
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).retryable).toBe(false);
    expect((error as ChannelSendError).message).toContain("Unknown Channel");
    expect((error as ChannelSendError).hint).toContain("channel:<id>");
  });

  it("creates a thread from the message it answers, posts the intro in it, and hears replies there", async () => {
    const { account, sink } = await started();
    const asked = fake.userSendsInChannel({
      user: alice,
      channelId: general,
      text: "spawn",
      mention: "user",
    });
    const { threadId } = await account.createThread!(
      { ...inGeneral, replyToMessageId: `${general}:${asked.id}` },
      "Research: the plan\nmore",
      "I'll work on it here.",
    );
    expect(fake.threads().at(-1)).toMatchObject({
      threadId,
      parentId: general,
      name: "Research: the plan",
      fromMessageId: asked.id,
    });
    expect(fake.botMessagesIn(threadId).map((message) => message.content)).toEqual(["I'll work on it here."]);
    fake.userSendsInChannel({ user: alice, channelId: threadId, text: "follow-up" });
    await fake.waitFor(() => sink.messages().some((message) => message.text === "follow-up"), 5000);
    expect(sink.messages().find((message) => message.text === "follow-up")).toMatchObject({
      peer: { kind: "channel", id: general },
      threadId,
    });
    await account.send({ ...inGeneral, threadId }, "in the thread");
    expect(fake.botMessagesIn(threadId).at(-1)?.content).toBe("in the thread");
    // A second thread for the same message is standalone: Discord allows one per message.
    const second = await account.createThread!(
      { ...inGeneral, replyToMessageId: `${general}:${asked.id}` },
      "again",
      "hi",
    );
    expect(fake.threads().at(-1)).toMatchObject({ threadId: second.threadId, parentId: general });
    expect(fake.threads().at(-1)?.fromMessageId).toBeUndefined();
  });
});
