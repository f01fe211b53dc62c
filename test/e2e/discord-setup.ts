import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FakeDiscord } from "../../src/channels/discord/testing/fake-discord.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import type { FakeReply, RecordedRequest } from "../../src/models/testing/fake-provider-server.js";
import {
  agentOnFakeOpenAI,
  type ChannelGatewayProcess,
  startChannelGateway,
  writeGatewayConfig,
} from "./channel-gateway.js";
import { type TempHome, tempHome } from "./harness.js";

/** A bot token shaped like Discord's (id.timestamp.hmac), unique enough to be found anywhere it leaks. */
export const DISCORD_TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GcAnAr.y-discord-canary-Zq9xK2mVt4Lw8RbN3cHdF6jYpS1";

/** `restart` waits until the channel is ready again. */
export interface DiscordGateway extends ChannelGatewayProcess {
  discord: FakeDiscord;
  provider: FakeOpenAIServer;
  home: TempHome;
}

/**
 * A real gateway process whose `channels.discord` talks to a loopback fake of Discord (REST and
 * gateway), its token in a 0600 secret file, its agent on a fake OpenAI provider. `prepare` sets
 * up guilds and users on the fake before the bot connects, and returns the discord config.
 */
export async function startDiscordGateway(options: {
  prepare(discord: FakeDiscord): Record<string, unknown>;
  respond: (request: RecordedRequest) => FakeReply;
  chunkDelayMs?: number;
  /** More config, read after `prepare` (so it may name the guilds it made). */
  extra?: () => Record<string, unknown>;
}): Promise<DiscordGateway> {
  const discord = new FakeDiscord({ token: DISCORD_TOKEN, heartbeatIntervalMs: 1000 });
  const { apiBase } = await discord.start();
  const discordConfig = options.prepare(discord);
  const provider = new FakeOpenAIServer({
    respond: options.respond,
    chunkDelayMs: options.chunkDelayMs ?? 0,
  });
  const { baseUrl } = await provider.start();
  const home = await tempHome();
  await writeFile(join(home.dir, "discord.token"), `${DISCORD_TOKEN}\n`, { mode: 0o600 });
  await writeGatewayConfig(home, {
    ...agentOnFakeOpenAI(baseUrl),
    channels: { discord: { token: { $secret: "discord-bot" }, apiBase, ...discordConfig } },
    ...options.extra?.(),
    externalSecrets: { "discord-bot": { source: "file", path: join(home.dir, "discord.token") } },
  });
  return startChannelGateway(
    home,
    { discord, provider, home },
    {
      stopFixtures: async () => {
        await discord.stop();
        await provider.close();
      },
      restartWaitsForChannel: true,
    },
  );
}
