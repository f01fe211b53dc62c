import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { REPO_ROOT } from "./harness.js";
import { type SlackGateway, startSlackGateway, visibleSlackMessages } from "./slack-setup.js";
import {
  scenarioAgents,
  scriptedAgents,
  type ThreadBindingPlatform,
  threadBindingScenario,
} from "./thread-binding-scenario.js";

const CHANNELS = { main: "C0THREADMAIN", other: "C0THREADOTHR" };
const USERS = { main: "U0OLIVIA01", other: "U0FARID002" };

/**
 * Thread-bound sessions on Slack (the real gateway with @slack/web-api and Socket Mode, the fake
 * Slack): sessions_spawn { thread: true } posts a thread root in the channel and binds its
 * thread_ts; replies in that thread go to the helper, the channel stays the lead's.
 */
describe("thread-bound sessions on Slack", () => {
  let setup: SlackGateway;
  beforeAll(async () => {
    setup = await startSlackGateway({
      mode: "socket",
      slack: {
        allowFrom: Object.values(USERS),
        channels: {
          [CHANNELS.main]: { requireMention: false },
          [CHANNELS.other]: { requireMention: false },
        },
      },
      extra: { agents: scenarioAgents(join(REPO_ROOT, "examples/plugins/faults/timer-throw.mjs")) },
      respond: scriptedAgents,
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const shown = (conversation: "main" | "other") =>
    visibleSlackMessages(setup.slack.posted(), CHANNELS[conversation]);
  const platform: ThreadBindingPlatform = {
    name: "slack",
    threads: "child",
    gateway: () => setup.gateway,
    env: () => setup.home.env,
    say(conversation, text, threadId) {
      void setup.slack.userSends({
        channel: CHANNELS[conversation],
        channelType: "channel",
        user: USERS[conversation],
        userName: conversation === "main" ? "Olivia" : "Farid",
        text,
        ...(threadId !== undefined ? { threadTs: threadId } : {}),
      });
    },
    replies: (conversation, threadId) =>
      shown(conversation)
        // A thread's root is the bot's top-level message: it shows outside the thread.
        .filter((entry) => (entry.threadTs === entry.ts ? undefined : entry.threadTs) === threadId)
        .map((entry) => entry.text),
    // The threads the bot rooted: its top-level messages that have replies in their thread.
    createdThreads: (conversation) => {
      const messages = shown(conversation);
      return messages
        .filter((root) => root.threadTs === undefined)
        .filter((root) => messages.some((entry) => entry.threadTs === root.ts && entry.ts !== root.ts))
        .map((root) => root.ts);
    },
    async restart() {
      await setup.gateway.stop();
      await setup.restart();
    },
  };

  threadBindingScenario(() => platform);
});
