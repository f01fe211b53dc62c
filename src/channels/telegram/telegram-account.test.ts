import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import type { OutboundTarget } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { everythingIn, rejectionOf } from "../testing/error-exposure.js";
import { createTelegramAccount, type TelegramAccount, type TelegramAccountOptions } from "./index.js";
import { FakeTelegramBotApi } from "./testing/fake-telegram-bot-api.js";
import { RecordingSink } from "./testing/recording-sink.js";
import { checkTelegramHtml } from "./testing/telegram-html-checker.js";

const TOKEN = "424242:AAF-account-test-token_abcdefghijkl";
const fake = new FakeTelegramBotApi({ token: TOKEN, botUsername: "claw_bot" });
let apiRoot = "";

beforeAll(async () => {
  ({ apiRoot } = await fake.start());
});
afterAll(() => fake.stop());

const accountWith = (overrides: Partial<TelegramAccountOptions> = {}) =>
  createTelegramAccount({
    accountId: "default",
    token: TOKEN,
    apiRoot,
    mode: "polling",
    pollTimeoutSeconds: 1,
    ...overrides,
  });

const dm: OutboundTarget = { peer: { kind: "direct", id: "5001" } };

describe("telegram account: connecting", () => {
  it("starts with the bot's identity from getMe", async () => {
    const account = accountWith();
    const identity = await account.start(new RecordingSink());
    expect(identity).toEqual({ id: String(fake.bot.id), username: "claw_bot", name: "OpenClaw Test" });
    expect(account.capabilities).toEqual({ edit: true, typing: true, threads: "conversation" });
    await account.stop();
  });

  it("refuses a bad token with OC_ERR_CHANNEL_AUTH, and the token appears nowhere in the error", async () => {
    const badToken = "999999:WRONG-token-never-shown_xyz";
    const error = await rejectionOf(accountWith({ token: badToken }).start(new RecordingSink()));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_AUTH");
    expect((error as Error).message).toContain("Unauthorized");
    expect(everythingIn(error)).not.toContain(badToken);
    expect(everythingIn(error)).not.toContain("WRONG-token");
  });

  it("reports an unreachable API as OC_ERR_CHANNEL_CONNECT, without the token", async () => {
    const closed = new FakeTelegramBotApi({ token: TOKEN });
    const { apiRoot: deadRoot } = await closed.start();
    await closed.stop();
    const error = await rejectionOf(accountWith({ apiRoot: deadRoot }).start(new RecordingSink()));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_CONNECT");
    expect((error as Error).message).toMatch(/getMe failed: network error \(ECONNREFUSED\)/);
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it("refuses webhook mode without a valid secret before any call", () => {
    expect(() =>
      accountWith({ mode: "webhook", webhook: { url: "https://example.com/telegram-webhook", secret: "" } }),
    ).toThrow(/webhook secret/);
    expect(() =>
      accountWith({ mode: "webhook", webhook: { url: "https://example.com/hook", secret: "has spaces" } }),
    ).toThrow(/webhook secret/);
  });
});

describe("telegram account: sending", () => {
  let account: TelegramAccount;
  beforeAll(() => {
    account = accountWith();
  });

  it("sends rendered HTML with link previews off, in a topic, as a reply", async () => {
    const result = await account.send(
      { peer: { kind: "group", id: "-1009" }, threadId: "77", replyToMessageId: "-1009:12" },
      "**Done**: see [docs](https://example.com) <now>",
    );
    const last = fake.sent().at(-1)!;
    expect(result).toEqual({ messageId: `-1009:${last.messageId}` });
    expect(last).toMatchObject({
      method: "sendMessage",
      chatId: "-1009",
      parseMode: "HTML",
      text: '<b>Done</b>: see <a href="https://example.com">docs</a> &lt;now&gt;',
      threadId: 77,
      // The replied message is unknown to the fake: allow_sending_without_reply lets it through.
      replyToMessageId: 12,
    });
  });

  it("leaves the General topic's thread id out of a send, but not out of typing", async () => {
    const general: OutboundTarget = { peer: { kind: "group", id: "-1010" }, threadId: "1" };
    await account.send(general, "hello");
    expect(fake.sent().at(-1)!.threadId).toBeUndefined();
    await account.typing(general);
    expect(fake.chatActions().at(-1)).toMatchObject({ chatId: "-1010", action: "typing", threadId: 1 });
  });

  it("chunks a 10 000-character reply into ordered pieces that each render within 4096", async () => {
    const paragraphs = Array.from(
      { length: 100 },
      (_, index) =>
        `Paragraph ${String(index).padStart(3, "0")} has **bold** & <angle> text ${"x".repeat(40)}.`,
    );
    const markdown = paragraphs.join("\n\n");
    expect(markdown.length).toBeGreaterThan(8000);
    const longer = `${markdown}\n\n${"word ".repeat(400)}`;
    expect(longer.length).toBeGreaterThanOrEqual(10_000);
    const pieces = account.chunk(longer);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    const before = fake.sent().length;
    for (const piece of pieces) await account.send(dm, piece);
    const sent = fake.sent().slice(before);
    expect(sent).toHaveLength(pieces.length);
    for (const entry of sent) {
      expect(entry.text.length).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(entry.text).ok).toBe(true);
    }
    const shown = sent.map((entry) => (checkTelegramHtml(entry.text) as { text: string }).text).join("\n\n");
    // Every paragraph arrives, once, in order.
    const numbers = [...shown.matchAll(/Paragraph (\d{3})/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual(paragraphs.map((_, index) => index));
  });

  it("turns a 429 into a retryable ChannelSendError with Telegram's retry_after", async () => {
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 2",
      parameters: { retry_after: 2 },
    });
    const error = await rejectionOf(account.send(dm, "hi"));
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ code: "OC_ERR_CHANNEL_SEND", retryable: true, retryAfterMs: 2000 });
    expect((error as Error).message).toBe(
      "telegram sendMessage refused: 429 Too Many Requests: retry after 2",
    );
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it("marks 5xx retryable and 400/403 not", async () => {
    fake.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    expect(await rejectionOf(account.send(dm, "hi"))).toMatchObject({
      retryable: true,
      retryAfterMs: undefined,
    });
    fake.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await rejectionOf(account.send(dm, "hi"))).toMatchObject({ retryable: false });
    expect(await rejectionOf(account.send({ peer: { kind: "direct", id: "@nobody" } }, "hi"))).toMatchObject({
      retryable: false,
      message: "telegram sendMessage refused: 400 Bad Request: chat not found",
    });
  });

  it("makes a network failure retryable, without the token in the error", async () => {
    const closed = new FakeTelegramBotApi({ token: TOKEN });
    const { apiRoot: deadRoot } = await closed.start();
    await closed.stop();
    const error = await rejectionOf(accountWith({ apiRoot: deadRoot }).send(dm, "hi"));
    expect(error).toMatchObject({ retryable: true });
    expect(everythingIn(error)).not.toContain(TOKEN);
  });

  it("sends the plain Markdown again when Telegram cannot parse the HTML", async () => {
    fake.failNext("sendMessage", {
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
    });
    const before = fake.sent().length;
    await account.send(dm, "**bold** reply");
    const sent = fake.sent().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ text: "**bold** reply" });
    expect(sent[0]!.parseMode).toBeUndefined();
  });

  it("edits in place, and treats 'message is not modified' as done", async () => {
    const { messageId } = await account.send(dm, "draft");
    await account.edit(dm, messageId, "final *answer*");
    expect(fake.sent().at(-1)).toMatchObject({
      method: "editMessageText",
      text: "final <i>answer</i>",
      parseMode: "HTML",
    });
    const edits = fake.sent().length;
    await expect(account.edit(dm, messageId, "final *answer*")).resolves.toBeUndefined();
    expect(fake.sent()).toHaveLength(edits);
    await expect(account.edit(dm, "5001:99999", "x")).rejects.toMatchObject({
      retryable: false,
      message: "telegram editMessageText refused: 400 Bad Request: message to edit not found",
    });
  });

  it("shows typing in a topic", async () => {
    await account.typing({ peer: { kind: "group", id: "-1011" }, threadId: "5" });
    expect(fake.chatActions().at(-1)).toMatchObject({ chatId: "-1011", action: "typing", threadId: 5 });
  });
});
