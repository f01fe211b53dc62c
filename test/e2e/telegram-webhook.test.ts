import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./channel-gateway.js";
import { runCli } from "./harness.js";
import {
  BOT_TOKEN,
  startTelegramGateway,
  type TelegramGateway,
  unescapeHtml,
  visibleMessages,
} from "./telegram-setup.js";

const WEBHOOK_SECRET = "whsec-canary-4b8f2e6a9d1c3570";
const OWNER = { id: 555, first_name: "Olivia" };

describe("Telegram channel (webhook mode)", () => {
  let setup: TelegramGateway;
  let webhookUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}/telegram-webhook`;
    setup = await startTelegramGateway({
      telegram: {
        webhookUrl,
        webhookSecret: { $secret: "telegram-webhook" },
        webhookPort: port,
        allowFrom: [String(OWNER.id)],
        streaming: "off",
      },
      extra: {},
      respond: (request) => {
        const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
        return {
          type: "text",
          text: `You said: ${messages.filter((message) => message.role === "user").at(-1)?.content}`,
        };
      },
      secrets: { "telegram-webhook": WEBHOOK_SECRET },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  it("registers the webhook with its secret and answers what Telegram posts", async () => {
    expect(setup.bot.webhook()).toMatchObject({ url: webhookUrl, secretToken: WEBHOOK_SECRET });
    setup.bot.userSends({ chat: { id: OWNER.id, type: "private" }, from: OWNER, text: "via webhook" });
    await setup.bot.waitFor(
      () =>
        unescapeHtml(visibleMessages(setup.bot.sent(), String(OWNER.id)).at(-1)?.text ?? "") ===
        "You said: via webhook",
      10_000,
    );
    expect(setup.bot.webhookDeliveries().some((delivery) => delivery.status === 200)).toBe(true);
  });

  it("refuses a post with a wrong or missing secret with 401, and runs nothing", async () => {
    const update = {
      update_id: 999_001,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: OWNER.id, type: "private" },
        from: { id: OWNER.id, is_bot: false, first_name: "x" },
        text: "forged",
      },
    };
    const requestsBefore = setup.provider.requests.length;
    for (const headers of [
      { "content-type": "application/json" },
      { "content-type": "application/json", "x-telegram-bot-api-secret-token": "wrong" },
      { "content-type": "application/json", "x-telegram-bot-api-secret-token": `${WEBHOOK_SECRET}x` },
    ]) {
      const response = await fetch(webhookUrl, { method: "POST", headers, body: JSON.stringify(update) });
      expect(response.status).toBe(401);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(setup.provider.requests.length).toBe(requestsBefore);
  });

  it("keeps the token and the webhook secret out of status and logs", async () => {
    const status = await runCli(["channels", "status", "--json"], setup.home.env);
    expect(status.stdout).toContain('"state": "ready"');
    for (const secret of [BOT_TOKEN, WEBHOOK_SECRET]) {
      expect(status.stdout).not.toContain(secret);
      expect(setup.gateway.output()).not.toContain(secret);
    }
  });
});
