import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "./harness.js";
import {
  startTelegramGateway,
  type TelegramGateway,
  unescapeHtml,
  userTexts,
  waitForChannel,
} from "./telegram-setup.js";

const MESSAGES = 24;
const USERS = Array.from({ length: MESSAGES }, (_, index) => ({
  id: 1000 + index,
  first_name: `User${index}`,
}));

async function inboxDepth(gateway: RunningGateway): Promise<number> {
  const response = await fetch(`${gateway.url}/__openclaw__/channels`, { headers: gateway.headers });
  const { channels } = (await response.json()) as { channels: { inboxDepth: number }[] };
  return channels[0]?.inboxDepth ?? 0;
}

async function kill(gateway: RunningGateway): Promise<void> {
  const exited = new Promise((resolve) => gateway.process.once("exit", resolve));
  gateway.process.kill("SIGKILL");
  await exited;
}

/**
 * The gateway is SIGKILLed twice while messages it has fetched (their offset confirmed to
 * Telegram, so Telegram will not send them again) are mid-turn. Each restart resumes them from
 * the inbox: every message gets its reply, and none gets two.
 */
describe("Telegram channel: a gateway killed mid-turn", () => {
  let setup: TelegramGateway;
  beforeAll(async () => {
    setup = await startTelegramGateway({
      telegram: { dmPolicy: "open", allowFrom: ["*"], streaming: "off" },
      // About half a second a reply: long enough for a kill to land in the middle of turns.
      chunkDelayMs: 40,
      respond: (request) => ({
        type: "text",
        text: `You said: ${userTexts(request.body).at(-1)} and that is all I have to say about it`,
      }),
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const repliesTo = (index: number) =>
    setup.bot
      .sent()
      .filter((entry) => entry.chatId === String(USERS[index]?.id))
      .filter((entry) => unescapeHtml(entry.text).startsWith(`You said: message ${index} `));

  it("answers each of 24 messages exactly once across two SIGKILLs", async () => {
    const send = (index: number) =>
      setup.bot.userSends({
        chat: { id: USERS[index]?.id as number, type: "private" },
        from: USERS[index] as { id: number; first_name: string },
        text: `message ${index}`,
      });
    const kills: { fetched: number; unanswered: number }[] = [];
    const killMidTurn = async () => {
      // Fetched and stored, not yet answered: the window the inbox exists for.
      await setup.bot.waitFor(() => setup.bot.pendingUpdates().length === 0, 10_000);
      const unanswered = await inboxDepth(setup.gateway);
      kills.push({ fetched: setup.bot.confirmedOffset(), unanswered });
      await kill(setup.gateway);
      await setup.restart();
      await waitForChannel(setup.gateway);
    };

    for (let index = 0; index < 12; index++) send(index);
    await setup.bot.waitFor(
      () => repliesTo(0).length + repliesTo(1).length + repliesTo(2).length > 0,
      15_000,
    );
    await killMidTurn();
    for (let index = 12; index < MESSAGES; index++) send(index);
    await killMidTurn();

    await setup.bot.waitFor(() => USERS.every((_, index) => repliesTo(index).length >= 1), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = USERS.map((_, index) => repliesTo(index).length);
    const duplicates = counts.reduce((sum, count) => sum + (count - 1), 0);
    // Both kills landed while fetched messages were still unanswered.
    for (const landed of kills) expect(landed.unanswered).toBeGreaterThan(0);
    expect(counts.every((count) => count >= 1)).toBe(true);
    // A kill between a send and its sent-mark may duplicate that one reply: at most one per kill.
    expect(duplicates).toBeLessThanOrEqual(kills.length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(await inboxDepth(setup.gateway)).toBe(0);
    console.log(`crash e2e: ${MESSAGES} messages, kills ${JSON.stringify(kills)}, duplicates ${duplicates}`);
  }, 120_000);
});
