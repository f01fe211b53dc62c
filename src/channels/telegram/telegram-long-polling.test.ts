import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import { createTelegramAccount, type TelegramAccount } from "./index.js";
import { deliverUpdates } from "./telegram-long-polling.js";
import { FakeTelegramBotApi } from "./testing/fake-telegram-bot-api.js";
import { RecordingSink } from "./testing/recording-sink.js";

const TOKEN = "515151:AAH-polling-test-token_qrstuvwxyz";
const alice = { id: 5001, first_name: "Alice", last_name: "Liddell", username: "alice" };
const group = { id: -100200, type: "supergroup" as const, title: "Rabbit hole" };

let fake: FakeTelegramBotApi;
let account: TelegramAccount;
let sink: RecordingSink;
let apiRoot: string;

beforeEach(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN, botUsername: "Claw_Bot" });
  ({ apiRoot } = await fake.start());
  account = createTelegramAccount({
    accountId: "work",
    token: TOKEN,
    apiRoot,
    mode: "polling",
    pollTimeoutSeconds: 1,
  });
  sink = new RecordingSink();
});
afterEach(async () => {
  await account.stop();
  await fake.stop();
});

describe("telegram long polling", () => {
  it("delivers a DM normalized, and confirms the offset only after delivery", async () => {
    const update = fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "hello" });
    await account.start(sink);
    await fake.waitFor(() => sink.delivered.length === 1);
    expect(sink.messages()).toEqual([
      {
        channel: "telegram",
        accountId: "work",
        messageId: `5001:${update.message!.message_id}`,
        peer: { kind: "direct", id: "5001" },
        sender: { id: "5001", name: "Alice Liddell", username: "alice" },
        mentioned: true,
        text: "hello",
        attachments: [],
        sentAt: update.message!.date * 1000,
      },
    ]);
    await fake.waitFor(() => fake.confirmedOffset() === update.update_id + 1);
    expect(fake.pendingUpdates()).toEqual([]);
  });

  it("does not move the offset past a batch the sink refused, and delivers it again", async () => {
    sink.refuseNext(1);
    const update = fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "keep me" });
    await account.start(sink);
    await fake.waitFor(() => sink.attempts.length === 1);
    // Refused: Telegram still holds it and no later poll has confirmed it.
    expect(sink.warnings.at(-1)?.message).toMatch(/could not be stored/);
    expect(fake.confirmedOffset()).toBeLessThanOrEqual(update.update_id);
    expect(fake.pendingUpdates().map((pending) => pending.update_id)).toEqual([update.update_id]);
    await fake.waitFor(() => sink.delivered.length === 1, 3000);
    expect(sink.attempts[1]).toEqual(sink.attempts[0]);
    expect(sink.messages()[0]!.text).toBe("keep me");
    await fake.waitFor(() => fake.confirmedOffset() === update.update_id + 1);
  });

  it("tells group mentions (entity, reply to the bot) from other group messages", async () => {
    const botReply = { message_id: 1, date: 0, chat: group, from: fake.bot, text: "earlier" };
    fake.userSends({ chat: group, from: alice, text: "hey @claw_bot look" });
    fake.userSends({ chat: group, from: alice, text: "replying", reply_to_message: botReply as never });
    fake.userSends({ chat: group, from: alice, text: "hey @someone_else" });
    fake.userSends({ chat: group, from: alice, text: "just chatting" });
    await account.start(sink);
    await fake.waitFor(() => sink.messages().length === 4);
    expect(sink.messages().map((message) => [message.text, message.mentioned, message.peer.kind])).toEqual([
      ["hey @claw_bot look", true, "group"],
      ["replying", true, "group"],
      ["hey @someone_else", false, "group"],
      ["just chatting", false, "group"],
    ]);
  });

  it("carries the forum topic as threadId, and not a plain thread id", async () => {
    const forum = { id: -100300, type: "supergroup" as const, title: "Forum", is_forum: true };
    fake.userSends({
      chat: forum,
      from: alice,
      text: "in topic",
      message_thread_id: 42,
      is_topic_message: true,
    });
    fake.userSends({ chat: forum, from: alice, text: "reply thread", message_thread_id: 43 });
    await account.start(sink);
    await fake.waitFor(() => sink.messages().length === 2);
    expect(sink.messages()[0]!.threadId).toBe("42");
    expect(sink.messages()[1]!.threadId).toBeUndefined();
  });

  it("warns and keeps polling through a 409 conflict and a 429", async () => {
    fake.failNext("getUpdates", {
      error_code: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    fake.failNext("getUpdates", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "after the storm" });
    await account.start(sink);
    await fake.waitFor(() => sink.messages().length === 1, 4000);
    expect(sink.warnings.map((warning) => warning.details?.errorCode)).toEqual([409, 429]);
    expect(sink.warnings[1]!.details?.retryInMs).toBe(1000);
    expect(sink.failures).toEqual([]);
  });

  it("fails the account when the token is revoked while running", async () => {
    // getMe still passes; the first poll is the one refused.
    fake.failNext("getUpdates", { error_code: 401, description: "Unauthorized" });
    await account.start(sink);
    await fake.waitFor(() => sink.failures.length === 1, 3000);
    const failure = sink.failures[0];
    expect(isOpenClawError(failure) && failure.code).toBe("OC_ERR_CHANNEL_AUTH");
    expect(JSON.stringify(failure) + String(failure)).not.toContain(TOKEN);
  });

  it("deletes a webhook before polling, so getUpdates is not refused", async () => {
    const response = await fetch(`${apiRoot}/bot${TOKEN}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: "http://127.0.0.1:9/nowhere", secret_token: "s3cret" }),
    });
    expect(await response.json()).toEqual({ ok: true, result: true, description: "Webhook was set" });
    fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "polled" });
    await account.start(sink);
    await fake.waitFor(() => sink.messages().length === 1, 3000);
    expect(sink.warnings).toEqual([]);
  });

  it("stops promptly, aborting the long poll in flight", async () => {
    await account.start(sink);
    await fake.waitFor(() => fake.waitingPolls() === 1);
    const started = performance.now();
    await account.stop();
    expect(performance.now() - started).toBeLessThan(500);
    await fake.waitFor(() => fake.waitingPolls() === 0);
  });
});

describe("deliverUpdates", () => {
  const normalize = (update: Update) =>
    update.message ? ({ text: update.message.text } as never) : undefined;

  it("moves past updates it does not take (edits) without calling the sink", async () => {
    const calls: unknown[] = [];
    const edited = { update_id: 9, edited_message: { message_id: 1, text: "x" } } as unknown as Update;
    const offset = await deliverUpdates([edited], normalize, {
      deliver: async (messages) => void calls.push(messages),
    });
    expect(offset).toBe(10);
    expect(calls).toEqual([]);
  });

  it("hands a mixed batch over in one call and resolves past its last update", async () => {
    const calls: unknown[][] = [];
    const batch = [
      { update_id: 3, message: { text: "a" } },
      { update_id: 4, edited_message: { text: "b" } },
      { update_id: 5, message: { text: "c" } },
    ] as unknown as Update[];
    const offset = await deliverUpdates(batch, normalize, {
      deliver: async (messages) => void calls.push([...messages]),
    });
    expect(offset).toBe(6);
    expect(calls).toEqual([[{ text: "a" }, { text: "c" }]]);
    await expect(
      deliverUpdates(batch, normalize, {
        deliver: async () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(await deliverUpdates([], normalize, { deliver: async () => {} })).toBeUndefined();
  });
});
