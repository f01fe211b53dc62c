import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "./fake-telegram-bot-api.js";

const TOKEN = "717171:AAG-fake-test-token";
const alice = { id: 5001, first_name: "Alice" };
const dm = { id: 5001, type: "private" as const };

let fake: FakeTelegramBotApi;
let apiRoot: string;

beforeEach(async () => {
  fake = new FakeTelegramBotApi({ token: TOKEN });
  ({ apiRoot } = await fake.start());
});
afterEach(() => fake.stop());

async function call(method: string, body: object = {}, token = TOKEN) {
  const response = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("fake Bot API wire protocol", () => {
  it("answers an unknown token 401 and an unknown method 404, as Telegram does", async () => {
    expect(await call("getMe", {}, "1:wrong")).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    expect(await call("sendTelepathy")).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: "Not Found" },
    });
  });

  it("holds a long poll until an update arrives, and forgets what the offset confirms", async () => {
    const started = performance.now();
    const polling = call("getUpdates", { timeout: 5 });
    await fake.waitFor(() => fake.waitingPolls() === 1);
    const update = fake.userSends({ chat: dm, from: alice, text: "hi @someone" });
    const { body } = await polling;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(body.result).toEqual([update]);
    expect(update.message?.entities).toEqual([{ type: "mention", offset: 3, length: 8 }]);
    // Without a higher offset the update is still there; with one it is gone.
    expect((await call("getUpdates", { timeout: 0 })).body.result).toEqual([update]);
    expect((await call("getUpdates", { offset: update.update_id + 1, timeout: 0 })).body.result).toEqual([]);
    expect(fake.confirmedOffset()).toBe(update.update_id + 1);
  });

  it("returns at most limit updates and an empty list when the poll times out", async () => {
    for (const text of ["a", "b", "c"]) fake.userSends({ chat: dm, from: alice, text });
    expect((await call("getUpdates", { limit: 2 })).body.result).toHaveLength(2);
    await call("getUpdates", { offset: fake.pendingUpdates().at(-1)!.update_id + 1 });
    expect((await call("getUpdates", { timeout: 1 })).body.result).toEqual([]);
  });

  it("ends the older of two long polls with 409, and refuses getUpdates while a webhook is set", async () => {
    const first = call("getUpdates", { timeout: 5 });
    await fake.waitFor(() => fake.waitingPolls() === 1);
    const second = call("getUpdates", { timeout: 0 });
    expect((await first).status).toBe(409);
    expect((await second).status).toBe(200);
    await call("setWebhook", { url: "http://127.0.0.1:9/hook" });
    expect(await call("getUpdates")).toMatchObject({
      status: 409,
      body: {
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });
    expect(await call("deleteWebhook")).toMatchObject({
      body: { ok: true, description: "Webhook was deleted" },
    });
  });

  it("reads form bodies, and checks HTML, length and edits like Telegram", async () => {
    const form = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "5001", text: "<b>hi</b>", parse_mode: "HTML" }).toString(),
    });
    const sent = (await form.json()) as { result: { message_id: number; text: string } };
    expect(sent.result.text).toBe("hi");
    expect(fake.sent()).toMatchObject([
      { chatId: "5001", text: "<b>hi</b>", parseMode: "HTML", messageId: 1 },
    ]);
    expect(
      (await call("sendMessage", { chat_id: 5001, text: "<b>open", parse_mode: "HTML" })).body.description,
    ).toMatch(/^Bad Request: can't parse entities: /);
    expect(
      (await call("sendMessage", { chat_id: 5001, text: "<script>x</script>", parse_mode: "HTML" })).body,
    ).toMatchObject({
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0',
    });
    expect((await call("sendMessage", { chat_id: 5001, text: "x".repeat(4097) })).body.description).toBe(
      "Bad Request: message is too long",
    );
    // 4096 shown characters pass even when the HTML around them is longer.
    expect(
      (await call("sendMessage", { chat_id: 5001, text: `<b>${"x".repeat(4096)}</b>`, parse_mode: "HTML" }))
        .status,
    ).toBe(200);
    const edit = { chat_id: 5001, message_id: 1, text: "<b>hi</b>", parse_mode: "HTML" };
    expect((await call("editMessageText", edit)).body.description).toMatch(
      /^Bad Request: message is not modified: /,
    );
    expect((await call("editMessageText", { ...edit, text: "bye" })).status).toBe(200);
  });

  it("fails the next calls a test asks for, with Telegram's parameters", async () => {
    fake.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } },
      2,
    );
    const expected = {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 2",
        parameters: { retry_after: 2 },
      },
    };
    expect(await call("sendMessage", { chat_id: 1, text: "x" })).toEqual(expected);
    expect(await call("sendMessage", { chat_id: 1, text: "x" })).toEqual(expected);
    expect((await call("sendMessage", { chat_id: 1, text: "x" })).status).toBe(200);
  });
});
