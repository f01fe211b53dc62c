import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import type { FakeUser } from "../../src/channels/discord/testing/fake-discord-state.js";
import { type DiscordGateway, startDiscordGateway } from "./discord-setup.js";
import { REPO_ROOT } from "./harness.js";
import {
  scenarioAgents,
  scriptedAgents,
  type ThreadBindingPlatform,
  threadBindingScenario,
} from "./thread-binding-scenario.js";

/**
 * Thread-bound sessions on Discord (the real gateway with @discordjs/ws and /rest, the fake
 * Discord): sessions_spawn { thread: true } opens a child thread under the channel the lead was
 * asked in; the thread is the helper's until unbound or expired, the channel stays the lead's.
 */
describe("thread-bound sessions on Discord", () => {
  let setup: DiscordGateway;
  let owner: FakeUser;
  let friend: FakeUser;
  const channels = { main: "", other: "" };
  beforeAll(async () => {
    setup = await startDiscordGateway({
      prepare(discord) {
        owner = discord.user("1400000000000000011", "olivia", "Olivia");
        friend = discord.user("1400000000000000012", "farid", "Farid");
        const team = discord.createGuild("Team", ["ops", "lounge"]);
        [channels.main = "", channels.other = ""] = team.channelIds;
        return {
          guilds: {
            [team.guild.id]: {
              requireMention: false,
              channels: { [channels.main]: { enabled: true }, [channels.other]: { enabled: true } },
            },
          },
        };
      },
      extra: () => ({ agents: scenarioAgents(join(REPO_ROOT, "examples/plugins/faults/timer-throw.mjs")) }),
      respond: scriptedAgents,
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const platform: ThreadBindingPlatform = {
    name: "discord",
    threads: "child",
    gateway: () => setup.gateway,
    env: () => setup.home.env,
    say(conversation, text, threadId) {
      setup.discord.userSendsInChannel({
        user: conversation === "main" ? owner : friend,
        channelId: threadId ?? channels[conversation],
        text,
      });
    },
    replies: (conversation, threadId) =>
      setup.discord.botMessagesIn(threadId ?? channels[conversation]).map((message) => message.content),
    createdThreads: (conversation) =>
      setup.discord
        .threads()
        .filter((thread) => thread.by === "bot" && thread.parentId === channels[conversation])
        .map((thread) => thread.threadId),
    async restart() {
      await setup.gateway.stop();
      await setup.restart();
    },
  };

  threadBindingScenario(() => platform);
});
