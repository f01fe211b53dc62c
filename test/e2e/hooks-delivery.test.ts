import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./harness.js";
import { startTelegramGateway, type TelegramGateway, unescapeHtml } from "./telegram-setup.js";

/**
 * A hook's answer delivered to a chat, through the channel service's send (what `openclaw
 * message send` uses), to the real grammY client talking to a loopback fake of the Bot API.
 */
const HOOK_TOKEN = "Hook-token-for-delivery-0123456789abcdefgh";
const CHAT = "4242";

describe("webhook delivery to a channel", () => {
  let setup: TelegramGateway;

  beforeAll(async () => {
    setup = await startTelegramGateway({
      secrets: { "hooks-token": HOOK_TOKEN },
      extra: { hooks: { enabled: true, token: { $secret: "hooks-token" } } },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const hook = (body: unknown) =>
    fetch(`${setup.gateway.url}/hooks/agent`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("sends the turn's answer to channel + to, and nothing with deliver: false", async () => {
    const reply = await hook({ message: "build 4711 failed", name: "CI", channel: "telegram", to: CHAT });
    expect(reply.status).toBe(202);
    const sent = await waitFor(() => {
      const entries = setup.bot.sent().filter((entry) => entry.chatId === CHAT);
      return entries.length > 0 ? entries : undefined;
    }, 15_000);
    expect(unescapeHtml(sent.map((entry) => entry.text).join("\n"))).toContain("build 4711 failed");

    const quiet = await hook({ message: "not to be sent", channel: "telegram", to: CHAT, deliver: false });
    expect(quiet.status).toBe(202);
    const { sessionKey } = (await quiet.json()) as { sessionKey: string };
    await waitFor(async () => {
      const response = await fetch(
        `${setup.gateway.url}/__openclaw__/sessions/${encodeURIComponent(sessionKey)}`,
        {
          headers: setup.gateway.headers,
        },
      );
      return response.status === 200 && JSON.stringify(await response.json()).includes("You said");
    });
    // A delivery would follow the turn's end at once; give it the time it would take.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.bot.sent().some((entry) => entry.text.includes("not to be sent"))).toBe(false);
  });

  it("refuses half a delivery target with 400 before running anything", async () => {
    expect((await hook({ message: "m", channel: "telegram" })).status).toBe(400);
    expect((await hook({ message: "m", channel: "last", to: CHAT })).status).toBe(400);
  });
});
