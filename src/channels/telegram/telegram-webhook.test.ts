import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTelegramAccount, type TelegramAccount } from "./index.js";
import { FakeTelegramBotApi } from "./testing/fake-telegram-bot-api.js";
import { RecordingSink } from "./testing/recording-sink.js";
import { webhookSecretMatches } from "./webhook-secret.js";

vi.mock("./webhook-secret.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./webhook-secret.js")>();
  return { ...actual, webhookSecretMatches: vi.fn(actual.webhookSecretMatches) };
});

const TOKEN = "616161:AAE-webhook-test-token_0123456789";
const SECRET = "hook_Secret-0123456789abcdef";
const alice = { id: 5001, first_name: "Alice", username: "alice" };

let fake: FakeTelegramBotApi;
let account: TelegramAccount;
let sink: RecordingSink;
let hookUrl: string;

beforeEach(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN, botUsername: "claw_bot" });
  const { apiRoot } = await fake.start();
  account = createTelegramAccount({
    accountId: "default",
    token: TOKEN,
    apiRoot,
    mode: "webhook",
    webhook: { url: "https://bot.example.com/tg", secret: SECRET, port: 0 },
  });
  sink = new RecordingSink();
  await account.start(sink);
  const { host, port } = account.webhookAddress()!;
  hookUrl = `http://${host}:${port}/telegram-webhook`;
  fake.routeWebhookTo(hookUrl);
});
afterEach(async () => {
  await account.stop();
  await fake.stop();
});

const post = (url: string, headers: Record<string, string>, body = '{"update_id":1}') =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("telegram webhook mode", () => {
  it("sets the webhook with its secret and listens on loopback", () => {
    expect(fake.webhook()).toMatchObject({
      secretToken: SECRET,
      allowedUpdates: ["message", "channel_post"],
    });
    expect(account.webhookAddress()?.host).toBe("127.0.0.1");
  });

  it("delivers an update posted with the right secret, then answers 200", async () => {
    const update = fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "via hook" });
    await fake.waitFor(() => fake.pendingUpdates().length === 0);
    expect(sink.messages()).toMatchObject([
      {
        messageId: `5001:${update.message!.message_id}`,
        text: "via hook",
        peer: { kind: "direct", id: "5001" },
      },
    ]);
    expect(fake.webhookDeliveries().map((delivery) => delivery.status)).toEqual([200]);
    expect(webhookSecretMatches).toHaveBeenCalledWith(SECRET, SECRET);
  });

  it("answers 500 when the sink refuses, so Telegram posts the update again", async () => {
    sink.refuseNext(1);
    fake.userSends({ chat: { id: alice.id, type: "private" }, from: alice, text: "again" });
    // The fake logs a delivery once it has read the answer, after the sink took the update.
    await fake.waitFor(() => fake.pendingUpdates().length === 0);
    expect(sink.delivered).toHaveLength(1);
    expect(fake.webhookDeliveries().map((delivery) => delivery.status)).toEqual([500, 200]);
    expect(sink.attempts).toHaveLength(2);
  });

  it("refuses a missing or wrong secret with 401, comparing in constant time", async () => {
    const wrongSecrets = ["", "x", SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase(), "a".repeat(300)];
    vi.mocked(webhookSecretMatches).mockClear();
    const missing = await post(hookUrl, {});
    expect(missing.status).toBe(401);
    for (const secret of wrongSecrets) {
      const response = await post(hookUrl, { "x-telegram-bot-api-secret-token": secret });
      expect(response.status, `secret ${JSON.stringify(secret)}`).toBe(401);
    }
    expect(vi.mocked(webhookSecretMatches).mock.calls).toEqual([
      [undefined, SECRET],
      ...wrongSecrets.map((secret) => [secret, SECRET]),
    ]);
    expect(sink.attempts).toEqual([]);
  });

  it("serves only POST on the webhook path and GET /healthz", async () => {
    const right = { "x-telegram-bot-api-secret-token": SECRET };
    expect((await fetch(hookUrl, { headers: right })).status).toBe(405);
    expect((await fetch(hookUrl.replace("/telegram-webhook", "/healthz"))).status).toBe(200);
    expect((await post(hookUrl.replace("/telegram-webhook", "/other"), right)).status).toBe(404);
    expect((await post(hookUrl, right, "not json")).status).toBe(400);
    expect((await post(hookUrl, right, '{"no":"update_id"}')).status).toBe(400);
    expect(
      (await post(hookUrl, right, JSON.stringify({ update_id: 5, text: "x".repeat(1024 * 1024) }))).status,
    ).toBe(413);
    // An update it does not take (an edit) is still answered 200, or Telegram would retry it forever.
    expect((await post(hookUrl, right, '{"update_id":6,"edited_message":{}}')).status).toBe(200);
    expect(sink.attempts).toEqual([]);
  });

  it("closes the listener on stop and leaves the webhook set", async () => {
    const started = performance.now();
    await account.stop();
    expect(performance.now() - started).toBeLessThan(500);
    await expect(post(hookUrl, { "x-telegram-bot-api-secret-token": SECRET })).rejects.toThrow();
    expect(fake.webhook()).toBeDefined();
  });
});

describe("webhookSecretMatches", () => {
  it("matches only the exact secret", () => {
    expect(webhookSecretMatches(SECRET, SECRET)).toBe(true);
    expect(webhookSecretMatches(undefined, SECRET)).toBe(false);
    expect(webhookSecretMatches(`${SECRET} `, SECRET)).toBe(false);
    expect(webhookSecretMatches("", SECRET)).toBe(false);
  });
});
