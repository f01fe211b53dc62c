import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "../../src/channels/telegram/testing/fake-telegram-bot-api.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, withTestAuth } from "./harness.js";
import { unescapeHtml, visibleMessages, waitForChannel } from "./telegram-setup.js";

const TOKENS = {
  default: "7301846592:AAE-bindings-default-0123456789",
  work: "7301846593:AAE-bindings-work-0123456789ab",
};

/**
 * Two Telegram bots (accounts `default` and `work`) and three agents, routed by `bindings`:
 * by channel, by account and by peer. The most specific binding wins, and each conversation's
 * session key is OpenClaw's (here under dmScope per-account-channel-peer).
 */
describe("channel bindings", () => {
  const bots = {
    default: new FakeTelegramBotApi({ token: TOKENS.default, botUsername: "home_bot" }),
    work: new FakeTelegramBotApi({ token: TOKENS.work, botUsername: "work_bot" }),
  };
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const roots = { default: (await bots.default.start()).apiRoot, work: (await bots.work.start()).apiRoot };
    home = await tempHome();
    const externalSecrets: Record<string, unknown> = {};
    for (const [account, token] of Object.entries(TOKENS)) {
      await writeFile(join(home.dir, `${account}.token`), token, { mode: 0o600 });
      externalSecrets[`tg-${account}`] = { source: "file", path: join(home.dir, `${account}.token`) };
    }
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets,
          agents: { main: {}, support: {}, ops: {}, vip: {} },
          channels: {
            telegram: {
              dmPolicy: "open",
              allowFrom: ["*"],
              streaming: "off",
              pollTimeoutSeconds: 1,
              accounts: {
                default: { botToken: { $secret: "tg-default" }, apiRoot: roots.default },
                work: { botToken: { $secret: "tg-work" }, apiRoot: roots.work },
              },
            },
          },
          bindings: [
            { agentId: "support", match: { channel: "telegram" } },
            { agentId: "ops", match: { channel: "telegram", accountId: "work" } },
            { agentId: "vip", match: { channel: "telegram", peer: { kind: "direct", id: "555" } } },
          ],
          session: { dmScope: "per-account-channel-peer" },
        }),
      ),
    );
    gateway = await startGateway(home);
    await waitForChannel(gateway);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await bots.default.stop();
    await bots.work.stop();
    await home?.cleanup();
  });

  const say = async (bot: FakeTelegramBotApi, userId: number, text: string) => {
    bot.userSends({
      chat: { id: userId, type: "private" },
      from: { id: userId, first_name: `u${userId}` },
      text,
    });
    await bot.waitFor(
      () =>
        unescapeHtml(visibleMessages(bot.sent(), String(userId)).at(-1)?.text ?? "") === `You said: ${text}`,
      10_000,
    );
  };

  it("routes peer over account over channel, into OpenClaw's session keys", async () => {
    await say(bots.default, 555, "vip on the home bot");
    await say(bots.work, 555, "vip on the work bot");
    await say(bots.default, 777, "someone on the home bot");
    await say(bots.work, 777, "someone on the work bot");
    const sessions = (await readdir(join(home.stateDir, "sessions"))).filter((name) =>
      name.startsWith("agent:"),
    );
    expect(sessions.sort()).toEqual(
      [
        // The peer binding wins on both accounts, over the account binding on `work`.
        "agent:vip:telegram:default:direct:555.jsonl",
        "agent:vip:telegram:work:direct:555.jsonl",
        // The account binding wins over the channel binding.
        "agent:ops:telegram:work:direct:777.jsonl",
        // The channel binding, for the rest.
        "agent:support:telegram:default:direct:777.jsonl",
      ].sort(),
    );
  });
});
