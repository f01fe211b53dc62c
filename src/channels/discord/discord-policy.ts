import type { z } from "zod";
import type { DiscordAccountSchema, DiscordGuildSchema } from "../../config/schema/channels-discord.js";
import {
  type AccountPolicy,
  accountPolicy,
  type GroupSettings,
  type PolicyFields,
} from "../core/account-policy.js";

export type DiscordAccountConfig = z.output<typeof DiscordAccountSchema>;
type DiscordGuildConfig = z.output<typeof DiscordGuildSchema>;

/**
 * OpenClaw's Discord access rules as the core's AccountPolicy. The core looks a guild message up
 * in `groups` by its channel id (a thread's parent), then by its guild id, then "*"; so:
 * - a `guilds.<g>.channels.<c>` entry becomes `groups[c]`, the guild's settings under the
 *   channel's (channel ids are unique across guilds, so no guild prefix is needed);
 * - a guild with no `channels` map becomes `groups[g]`, covering every channel in it; one with a
 *   map becomes `groups[g]` from its `"*"` entry, or a disabled entry: the map is an allowlist;
 * - `users` (who may trigger the bot) becomes the entry's sender allowlist; without `users`
 *   anyone in an allowed channel may, as OpenClaw's "allowlist" is the guild list, not senders;
 * - groupPolicy "open" lets unlisted guilds in (a `"*"` entry), "disabled" none.
 */
export function discordAccountPolicy(
  root: DiscordAccountConfig,
  account: DiscordAccountConfig | undefined,
): AccountPolicy {
  const base = accountPolicy(root as PolicyFields, account as PolicyFields | undefined);
  // As with `groups`, an account's guild map replaces the root's; it is not merged.
  const guilds = account?.guilds ?? root.guilds;
  if (guilds === undefined) return base;
  const senders = (users: string[] | undefined): GroupSettings => {
    if (base.groupPolicy === "disabled") return {};
    if (users !== undefined) return { groupPolicy: "allowlist", allowFrom: users };
    // No `users`: the account's groupAllowFrom (a generic key) still narrows it when set.
    return base.groupAllowFrom !== undefined ? {} : { groupPolicy: "open" };
  };
  const groups: Record<string, GroupSettings> = { ...base.groups };
  for (const [guildId, guild] of Object.entries(guilds)) {
    Object.assign(groups, guildEntries(guildId, guild, senders));
  }
  if (base.groupPolicy === "open" && !Object.hasOwn(groups, "*")) groups["*"] = senders(undefined);
  return { ...base, groups };
}

function guildEntries(
  guildId: string,
  guild: DiscordGuildConfig,
  senders: (users: string[] | undefined) => GroupSettings,
): Record<string, GroupSettings> {
  const guildEnabled = guild.enabled !== false;
  const entries: Record<string, GroupSettings> = {};
  const entry = (
    channel: { enabled?: boolean | undefined; allow?: boolean | undefined } & Pick<
      DiscordGuildConfig,
      "requireMention" | "users"
    >,
  ): GroupSettings => {
    const requireMention = channel.requireMention ?? guild.requireMention;
    return {
      enabled: guildEnabled && (channel.enabled ?? channel.allow ?? true),
      ...(requireMention !== undefined ? { requireMention } : {}),
      ...senders(channel.users ?? guild.users),
    };
  };
  if (guild.channels === undefined) {
    entries[guildId] = entry({});
    return entries;
  }
  for (const [channelId, channel] of Object.entries(guild.channels)) {
    if (channelId !== "*") entries[channelId] = entry(channel);
  }
  const rest = guild.channels["*"];
  entries[guildId] = rest ? entry(rest) : { enabled: false };
  return entries;
}
