import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, waitFor } from "./harness.js";
import {
  BOT_TOKEN,
  readTree,
  startTelegramGateway,
  type TelegramGateway,
  unescapeHtml,
  userTexts,
  visibleMessages,
} from "./telegram-setup.js";

const ESSAY_PARAGRAPHS = Array.from(
  { length: 20 },
  (_, index) => `Paragraph ${index}. ${"All work and no play makes a long reply. ".repeat(12).trim()}`,
);
const ESSAY = ESSAY_PARAGRAPHS.join("\n\n");
const STREAMED = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");

const OWNER = { id: 555, first_name: "Olivia", username: "olivia" };
const STRANGER = { id: 777, first_name: "Sam" };
const GROUP = { id: -100123, type: "supergroup" as const, title: "Team" };
const FORUM = { id: -100999, type: "supergroup" as const, title: "Forum", is_forum: true };

/**
 * Telegram end to end: the real gateway process, grammY inside it, a loopback fake of the Bot
 * API on the other side. Pairing, allow lists, mention gating, forum topics, long replies,
 * live previews, rate limits; the bot token is a canary that must show up nowhere.
 */
describe("Telegram channel (polling, fake Bot API)", () => {
  let setup: TelegramGateway;
  beforeAll(async () => {
    setup = await startTelegramGateway({
      telegram: {
        allowFrom: [String(OWNER.id)],
        groups: {
          [String(GROUP.id)]: { requireMention: true, groupPolicy: "open" },
          [String(FORUM.id)]: { groupPolicy: "open", requireMention: false },
        },
      },
      chunkDelayMs: 25,
      extra: {
        agents: {
          main: { model: "openai/gpt-4o-mini" },
          notifier: { model: "dev/echo", tools: ["message"] },
          plain: { model: "dev/echo" },
        },
      },
      respond: (request) => {
        const texts = userTexts(request.body);
        const last = texts.at(-1) ?? "";
        if (last.includes("essay")) return { type: "text", text: ESSAY.match(/[\s\S]{1,500}/g) ?? [ESSAY] };
        if (last.includes("stream")) return { type: "text", text: STREAMED };
        return { type: "text", text: `You said: ${last} (turn ${texts.length})` };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const chat = (id: number) => visibleMessages(setup.bot.sent(), String(id));
  const lastText = (id: number) => unescapeHtml(chat(id).at(-1)?.text ?? "");

  it("answers an unknown DM with a pairing code and no turn; after `openclaw pairing approve` it answers", async () => {
    const requestsBefore = setup.provider.requests.length;
    setup.bot.userSends({ chat: { id: STRANGER.id, type: "private" }, from: STRANGER, text: "hi bot" });
    await setup.bot.waitFor(() => chat(STRANGER.id).length === 1, 10_000);
    const pairing = lastText(STRANGER.id);
    expect(pairing).toContain(`Your telegram id: ${STRANGER.id}`);
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(pairing)?.[1] as string;
    expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    expect(setup.provider.requests.length).toBe(requestsBefore);

    const listed = await runCli(["pairing", "list", "telegram", "--json"], setup.home.env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { code, senderId: String(STRANGER.id), channel: "telegram" },
    ]);
    const approved = await runCli(["pairing", "approve", "telegram", code], setup.home.env);
    expect(approved.stderr).toBe("");
    expect(approved.stdout).toContain(`approved telegram sender ${STRANGER.id}`);

    setup.bot.userSends({ chat: { id: STRANGER.id, type: "private" }, from: STRANGER, text: "hello again" });
    await setup.bot.waitFor(() => lastText(STRANGER.id).startsWith("You said: hello again"), 10_000);
    expect(setup.provider.requests.length).toBe(requestsBefore + 1);
  });

  it("answers an allowlisted sender at once, and never runs a turn for an unknown one", async () => {
    setup.bot.userSends({ chat: { id: OWNER.id, type: "private" }, from: OWNER, text: "status?" });
    await setup.bot.waitFor(() => lastText(OWNER.id).startsWith("You said: status?"), 10_000);
    const other = { id: 888, first_name: "Eve" };
    const requestsBefore = setup.provider.requests.length;
    setup.bot.userSends({ chat: { id: other.id, type: "private" }, from: other, text: "let me in" });
    await setup.bot.waitFor(() => chat(other.id).length === 1, 10_000);
    expect(lastText(other.id)).toContain("Pairing code");
    expect(setup.provider.requests.length).toBe(requestsBefore);
  });

  it("ignores a group message without a mention and answers one with it", async () => {
    setup.bot.userSends({ chat: GROUP, from: OWNER, text: "talking among ourselves" });
    setup.bot.userSends({ chat: GROUP, from: OWNER, text: "@claw_bot what time is it" });
    await setup.bot.waitFor(() => chat(GROUP.id).length >= 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chat(GROUP.id).map((message) => unescapeHtml(message.text))).toEqual([
      "You said: Olivia: @claw_bot what time is it (turn 1)",
    ]);
    const reply = setup.bot.sent().find((entry) => entry.chatId === String(GROUP.id));
    expect(reply?.replyToMessageId).toBeDefined();
  });

  it("gives each forum topic its own session", async () => {
    const inTopic = (topic: number, text: string) =>
      setup.bot.userSends({
        chat: FORUM,
        from: OWNER,
        text,
        message_thread_id: topic,
        is_topic_message: true,
      });
    inTopic(7, "first in seven");
    await setup.bot.waitFor(() => chat(FORUM.id).length === 1, 10_000);
    inTopic(7, "second in seven");
    await setup.bot.waitFor(() => chat(FORUM.id).length === 2, 10_000);
    inTopic(8, "first in eight");
    await setup.bot.waitFor(() => chat(FORUM.id).length === 3, 10_000);
    const texts = chat(FORUM.id).map((message) => unescapeHtml(message.text));
    expect(texts).toEqual([
      "You said: Olivia: first in seven (turn 1)",
      "You said: Olivia: second in seven (turn 2)",
      "You said: Olivia: first in eight (turn 1)",
    ]);
    const threads = setup.bot
      .sent()
      .filter((entry) => entry.chatId === String(FORUM.id))
      .map((entry) => entry.threadId);
    expect(threads).toEqual([7, 7, 8]);
  });

  it("sends a 10 000-character reply as ordered chunks within Telegram's limit", async () => {
    expect(ESSAY.length).toBeGreaterThan(10_000);
    setup.bot.userSends({ chat: { id: OWNER.id, type: "private" }, from: OWNER, text: "write the essay" });
    await setup.bot.waitFor(() => lastText(OWNER.id).includes("Paragraph 19."), 30_000);
    const messages = chat(OWNER.id).filter((message) => unescapeHtml(message.text).includes("Paragraph"));
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    const squash = (text: string) => text.replace(/\s+/g, " ").trim();
    expect(squash(messages.map((message) => unescapeHtml(message.text)).join(" "))).toBe(squash(ESSAY));
  });

  it("streams a reply into one preview message, edited in place, then final", async () => {
    const before = setup.bot.sent().length;
    setup.bot.userSends({ chat: { id: OWNER.id, type: "private" }, from: OWNER, text: "stream please" });
    await setup.bot.waitFor(() => lastText(OWNER.id) === STREAMED, 20_000);
    const calls = setup.bot
      .sent()
      .slice(before)
      .filter((entry) => entry.chatId === String(OWNER.id));
    const sends = calls.filter((entry) => entry.method === "sendMessage");
    const edits = calls.filter((entry) => entry.method === "editMessageText");
    expect(sends).toHaveLength(1);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(new Set(edits.map((entry) => entry.messageId))).toEqual(new Set([sends[0]?.messageId]));
    expect(unescapeHtml(edits.at(-1)?.text ?? "")).toBe(STREAMED);
    // Bounded rate: edits at least ~1 s apart.
    for (let index = 1; index < edits.length; index++) {
      expect((edits[index]?.at ?? 0) - (edits[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
  });

  it("waits out a 429 with retry_after 2 and loses nothing", async () => {
    setup.bot.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 2",
      parameters: { retry_after: 2 },
    });
    const sentAt = Date.now();
    setup.bot.userSends({
      chat: { id: OWNER.id, type: "private" },
      from: OWNER,
      text: "are you rate limited",
    });
    await setup.bot.waitFor(() => lastText(OWNER.id).startsWith("You said: are you rate limited"), 15_000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
    const replies = chat(OWNER.id).filter((message) =>
      unescapeHtml(message.text).startsWith("You said: are you rate limited"),
    );
    expect(replies).toHaveLength(1);
  });

  it("shows the channel in status, metrics and `openclaw channels status`", async () => {
    const status = await runCli(["channels", "status", "--json"], setup.home.env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([
      { channel: "telegram", accountId: "default", state: "ready", inboxDepth: 0 },
    ]);
    const metrics = await (
      await fetch(`${setup.gateway.url}/metrics`, { headers: setup.gateway.headers })
    ).text();
    expect(metrics).toMatch(
      /openclaw_channel_messages_total\{channel="telegram",account="default",direction="in"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /openclaw_channel_messages_total\{channel="telegram",account="default",direction="out"\} [1-9]/,
    );
    expect(metrics).toContain('openclaw_channel_inbox_depth{channel="telegram",account="default"} 0');
    const sent = await runCli(
      [
        "message",
        "send",
        "--channel",
        "telegram",
        "--target",
        String(OWNER.id),
        "--message",
        "**from the CLI**",
      ],
      setup.home.env,
    );
    expect(sent.code).toBe(0);
    await setup.bot.waitFor(() => chat(OWNER.id).at(-1)?.text === "<b>from the CLI</b>", 5000);
  });

  it("lets an agent whose tools name `message` send on the channel, and no other agent", async () => {
    const ask = async (agent: string, content: string) => {
      const response = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...setup.gateway.headers, "content-type": "application/json" },
        body: JSON.stringify({ model: `openclaw/${agent}`, messages: [{ role: "user", content }] }),
      });
      return ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message
        .content;
    };
    const command = `/tool message ${JSON.stringify({ channel: "telegram", target: String(OWNER.id), text: "**build** is green" })}`;
    expect(await ask("notifier", command)).toContain("Tool message returned");
    await setup.bot.waitFor(() => chat(OWNER.id).at(-1)?.text === "<b>build</b> is green", 5000);
    expect(await ask("plain", command)).toContain('Unknown tool "message"');
  });

  it("keeps the bot token out of every log, status, error and state file", async () => {
    const forms = [
      BOT_TOKEN,
      encodeURIComponent(BOT_TOKEN),
      Buffer.from(BOT_TOKEN).toString("base64"),
      BOT_TOKEN.split(":")[1] as string,
    ];
    const status = await (
      await fetch(`${setup.gateway.url}/__openclaw__/status`, { headers: setup.gateway.headers })
    ).text();
    const channels = await (
      await fetch(`${setup.gateway.url}/__openclaw__/channels`, { headers: setup.gateway.headers })
    ).text();
    const files = await readTree(setup.home.stateDir);
    expect(files.some((file) => file.path.endsWith("gateway.log"))).toBe(true);
    for (const form of forms) {
      expect(status).not.toContain(form);
      expect(channels).not.toContain(form);
      expect(setup.gateway.output()).not.toContain(form);
      for (const file of files) expect(file.content.includes(form), file.path).toBe(false);
    }
    await waitFor(() => true);
  });
});
