import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, waitFor } from "./harness.js";
import {
  startTelegramGateway,
  type TelegramGateway,
  unescapeHtml,
  waitForChannel,
} from "./telegram-setup.js";
import {
  scenarioAgents,
  scriptedAgents,
  type ThreadBindingPlatform,
  threadBindingScenario,
} from "./thread-binding-scenario.js";

const OWNER = { id: 555, first_name: "Olivia" };
const FRIEND = { id: 556, first_name: "Farid" };
const STRANGER = { id: 777, first_name: "Sam" };

/**
 * Thread-bound sessions on Telegram (the real gateway, grammY, the fake Bot API): Telegram has
 * no threads to open, so sessions_spawn { thread: true } binds the DM itself.
 */
describe("thread-bound sessions on Telegram", () => {
  let setup: TelegramGateway;
  beforeAll(async () => {
    setup = await startTelegramGateway({
      telegram: { dmPolicy: "allowlist", allowFrom: [String(OWNER.id), String(FRIEND.id)] },
      respond: scriptedAgents,
      extra: { agents: scenarioAgents(join(REPO_ROOT, "examples/plugins/faults/timer-throw.mjs")) },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const userOf = (conversation: "main" | "other") => (conversation === "main" ? OWNER : FRIEND);
  const platform: ThreadBindingPlatform = {
    name: "telegram",
    threads: "conversation",
    gateway: () => setup.gateway,
    env: () => setup.home.env,
    say(conversation, text, threadId) {
      const user = userOf(conversation);
      setup.bot.userSends({
        chat: { id: user.id, type: "private" },
        from: user,
        text,
        ...(threadId !== undefined ? { message_thread_id: Number(threadId) } : {}),
      });
    },
    replies(conversation, threadId) {
      const chatId = String(userOf(conversation).id);
      const shown = new Map<number, string>();
      for (const entry of setup.bot.sent()) {
        if (entry.chatId !== chatId) continue;
        if ((entry.threadId === undefined ? undefined : String(entry.threadId)) !== threadId) continue;
        shown.set(entry.messageId, unescapeHtml(entry.text));
      }
      return [...shown.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
    },
    createdThreads: () => [],
    async restart() {
      await setup.gateway.stop();
      await setup.restart();
      await waitForChannel(setup.gateway);
    },
  };

  threadBindingScenario(() => platform);

  it("answers no chat command of a sender who may not message the bot", async () => {
    const requests = setup.provider.requests.length;
    setup.bot.userSends({ chat: { id: STRANGER.id, type: "private" }, from: STRANGER, text: "/agents" });
    platform.say("main", "/agents");
    await waitFor(
      () => platform.replies("main").some((text) => text.startsWith("This conversation:")),
      15_000,
    );
    // Every received message handled (the stranger's dropped), not merely not yet answered.
    await waitFor(async () => {
      const status = await runCli(["channels", "status", "--json"], setup.home.env);
      return (JSON.parse(status.stdout) as { inboxDepth: number }[]).every(
        (account) => account.inboxDepth === 0,
      );
    }, 15_000);
    expect(setup.bot.sent().filter((entry) => entry.chatId === String(STRANGER.id))).toEqual([]);
    expect(setup.provider.requests.length).toBe(requests);
  });
});
