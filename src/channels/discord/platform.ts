import type { z } from "zod";
import type { DiscordChannelSchema } from "../../config/schema/channels-discord.js";
import { accountLog, credentialOrFile } from "../core/account-settings.js";
import type {
  ChannelPlatform,
  ChannelPlatformContext,
  PlatformAccountSpec,
} from "../core/channel-platform.js";
import { configuredAccounts, secretNamesOf, settingsFingerprint } from "../core/channel-platform.js";
import { createDiscordAccount } from "./discord-account.js";
import { type DiscordAccountConfig, discordAccountPolicy } from "./discord-policy.js";
import { resolveDiscordTarget } from "./discord-target.js";
import { DISCORD_CHANNEL } from "./normalize-discord-message.js";

type DiscordConfig = z.output<typeof DiscordChannelSchema>;

/**
 * `channels.discord` as OpenClaw's: the root is the `default` account (when it has a token) and
 * the defaults of `accounts.<id>`. Access (dmPolicy, allowFrom, guilds) is read per message;
 * any other setting rebuilds the account, which reconnects.
 */
export const discordPlatform: ChannelPlatform = {
  id: DISCORD_CHANNEL,
  accounts(config, context) {
    warnNameKeys(config as DiscordConfig, context);
    return configuredAccounts<DiscordAccountConfig, DiscordConfig>(
      config as DiscordConfig,
      (root) => root.token !== undefined || root.tokenFile !== undefined,
    ).map(({ accountId, root, account }) => accountSpec(accountId, root, account, context));
  },
  target: resolveDiscordTarget,
};

function accountSpec(
  accountId: string,
  root: DiscordAccountConfig,
  account: DiscordAccountConfig | undefined,
  context: ChannelPlatformContext,
): PlatformAccountSpec {
  const settings = { ...root, ...account };
  const path = account ? `channels.discord.accounts.${accountId}` : "channels.discord";
  const streaming =
    typeof settings.streaming === "object" ? settings.streaming.mode : (settings.streaming ?? "off");
  // `guilds` is access policy like `groups`: a change to it must not reconnect the bot.
  const { guilds: _guilds, ...connectionSettings } = settings;
  return {
    accountId,
    policy: discordAccountPolicy(root, account),
    preview: streaming !== "off",
    fingerprint: settingsFingerprint(connectionSettings, ["token"]),
    secrets: secretNamesOf(settings.token),
    create() {
      const token = credentialOrFile(context, settings.token, settings.tokenFile, `${path}.token`);
      if (token === undefined) throw new Error(`${path} has no token or tokenFile`);
      return createDiscordAccount({
        accountId,
        // Discord's docs write the header's form (`Bot <token>`); the client adds the prefix itself.
        token: token.trim().replace(/^Bot\s+/i, ""),
        ...(settings.apiBase !== undefined ? { apiBase: settings.apiBase } : {}),
        ...(settings.suppressEmbeds !== undefined ? { suppressEmbeds: settings.suppressEmbeds } : {}),
        ...(settings.textChunkLimit !== undefined ? { textChunkLimit: settings.textChunkLimit } : {}),
        log: accountLog(context, DISCORD_CHANNEL, accountId),
      });
    },
  };
}

/**
 * OpenClaw also matches guilds and channels by name or slug; here they match by id only (a name
 * changes, an id does not), so a name key would silently match nothing: say so.
 */
function warnNameKeys(config: DiscordConfig, context: ChannelPlatformContext): void {
  const blocks: [string, DiscordAccountConfig][] = [
    ["channels.discord", config],
    ...Object.entries(config.accounts ?? {}).map(
      ([id, account]) => [`channels.discord.accounts.${id}`, account] as [string, DiscordAccountConfig],
    ),
  ];
  const byId = (key: string) => key === "*" || /^\d+$/.test(key);
  for (const [path, block] of blocks) {
    for (const [guildId, guild] of Object.entries(block.guilds ?? {})) {
      const keys = [
        ...(byId(guildId) ? [] : [`${path}.guilds.${guildId}`]),
        ...Object.keys(guild.channels ?? {})
          .filter((channelId) => !byId(channelId))
          .map((channelId) => `${path}.guilds.${guildId}.channels.${channelId}`),
      ];
      for (const key of keys)
        context.log(
          "warn",
          "discord guilds and channels are matched by id here, not by name: this entry matches nothing",
          {
            path: key,
            hint: "Developer Mode → right-click the server or channel → Copy ID",
          },
        );
    }
  }
}
