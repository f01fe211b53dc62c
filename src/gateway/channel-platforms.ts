import type { ChannelPlatform } from "../channels/index.js";
import { OpenClawError } from "../errors.js";

/**
 * The platforms this gateway ships, by id, each with the module that implements it. A platform
 * module brings its SDK (discord.js's REST and gateway with undici, Slack's web and socket-mode
 * clients, grammY): ≈ 400 modules that a gateway without `channels.<id>` must not load at start.
 */
const PLATFORM_MODULES = {
  telegram: async () => (await import("../channels/telegram/platform.js")).telegramPlatform,
  irc: async () => (await import("../channels/irc/platform.js")).ircPlatform,
  discord: async () => (await import("../channels/discord/platform.js")).discordPlatform,
  slack: async () => (await import("../channels/slack/platform.js")).slackPlatform,
} satisfies Record<string, () => Promise<ChannelPlatform>>;

export const CHANNEL_PLATFORM_IDS = Object.keys(PLATFORM_MODULES) as (keyof typeof PLATFORM_MODULES)[];

/**
 * The channel service's platforms, each loaded when the config first names it. `platforms` is
 * what ChannelService is given: the ids are known from the start (an unknown channel is refused
 * by name), and a platform's own code is reached only after `load` saw its `channels.<id>`
 * block, which the gateway awaits before every start and apply of the service, the only callers
 * of `accounts`. `target` is asked only for a channel with a running account, so of a loaded one.
 */
export function lazyChannelPlatforms(): {
  platforms: readonly ChannelPlatform[];
  load(channels: Record<string, unknown> | undefined): Promise<void>;
} {
  const loaded = new Map<string, ChannelPlatform>();
  const real = (id: string): ChannelPlatform => {
    const platform = loaded.get(id);
    if (!platform)
      throw new OpenClawError("OC_ERR_INTERNAL", `channel platform "${id}" was used before it was loaded`);
    return platform;
  };
  const platforms = CHANNEL_PLATFORM_IDS.map(
    (id): ChannelPlatform => ({
      id,
      accounts: (config, context) => real(id).accounts(config, context),
      target: (raw, threadId) => real(id).target(raw, threadId),
    }),
  );
  return {
    platforms,
    async load(channels) {
      const wanted = CHANNEL_PLATFORM_IDS.filter((id) => channels?.[id] !== undefined && !loaded.has(id));
      const modules = await Promise.all(
        wanted.map(async (id) => [id, await PLATFORM_MODULES[id]()] as const),
      );
      for (const [id, platform] of modules) loaded.set(id, platform);
    },
  };
}
