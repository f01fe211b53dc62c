import type {
  APIChannel,
  GatewayGuildCreateDispatchData,
  GatewayThreadListSyncDispatchData,
} from "@discordjs/core";

/**
 * What the gateway tells about guilds that a message does not carry: the bot's roles in each
 * (a `<@&role>` mention of its role addresses it) and each thread's parent channel (a message
 * in a thread names only the thread; its access and session follow the parent).
 */
export class DiscordGuildState {
  readonly #botId: string;
  readonly #botRoles = new Map<string, Set<string>>();
  readonly #threadParents = new Map<string, string>();

  constructor(botId: string) {
    this.#botId = botId;
  }

  botRoleIds(guildId: string): ReadonlySet<string> {
    return this.#botRoles.get(guildId) ?? new Set();
  }

  threadParent(threadId: string): string | undefined {
    return this.#threadParents.get(threadId);
  }

  guildCreated(guild: GatewayGuildCreateDispatchData): void {
    const roles = new Set<string>();
    // The role Discord made for the bot when it was invited, and whatever roles it was given.
    for (const role of guild.roles ?? []) if (role.tags?.bot_id === this.#botId) roles.add(role.id);
    for (const member of guild.members ?? [])
      if (member.user?.id === this.#botId) for (const role of member.roles) roles.add(role);
    this.#botRoles.set(guild.id, roles);
    for (const thread of guild.threads ?? []) this.channelSeen(thread);
  }

  threadListSynced(sync: GatewayThreadListSyncDispatchData): void {
    for (const thread of sync.threads) this.channelSeen(thread);
  }

  /** A channel from THREAD_CREATE / THREAD_UPDATE or a REST lookup: threads name their parent. */
  channelSeen(channel: Pick<APIChannel, "id"> & { parent_id?: string | null }): void {
    if (typeof channel.parent_id === "string") this.#threadParents.set(channel.id, channel.parent_id);
  }
}
