import type { APIChannel, APIGuild, APIMessage, APIRole, APIUser } from "@discordjs/core";
import { ChangeSignal } from "../../testing/change-signal.js";

/** One dispatch the fake gateway sends: `t` and `d` of an op 0 payload. */
export interface FakeDispatch {
  t: string;
  d: unknown;
}

/** A message the bot created or edited over REST, as the fake recorded it. */
export interface SentEntry {
  method: "create" | "edit";
  channelId: string;
  messageId: string;
  content: string;
  /** `message_reference.message_id` of a create. */
  replyTo?: string;
  flags?: number;
  allowedMentions?: unknown;
  at: number;
}

export interface ThreadEntry {
  threadId: string;
  parentId: string;
  name: string;
  /** The message it was started from, when it was. */
  fromMessageId?: string;
  by: "bot" | "user";
  at: number;
}

export type FakeUser = Pick<APIUser, "id" | "username" | "global_name"> & { bot?: boolean };

export interface FakeGuild {
  id: string;
  name: string;
  /** The role Discord makes for the bot when it is invited (`tags.bot_id`). */
  botRoleId: string;
  roles: APIRole[];
}

/** A structured error body Discord answers with (`{ code, message }`) and its HTTP status. */
export class DiscordRefusal extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: number; message: string; errors?: unknown },
  ) {
    super(body.message);
  }
}

/**
 * What the fake Discord knows: users, guilds, channels (threads and DMs among them), messages,
 * and what the bot did. Ids are snowflakes, increasing like Discord's.
 */
export class FakeDiscordState extends ChangeSignal {
  readonly bot: FakeUser;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, APIChannel & { guild_id?: string; parent_id?: string | null }>();
  readonly messages = new Map<string, APIMessage & { guild_id?: string }>();
  readonly sent: SentEntry[] = [];
  readonly typing: { channelId: string; at: number }[] = [];
  readonly threads: ThreadEntry[] = [];
  #nextId = 1_300_000_000_000_000_000n;

  constructor(bot: FakeUser) {
    super();
    this.bot = bot;
    this.users.set(bot.id, bot);
  }

  snowflake(): string {
    this.#nextId += 1n + BigInt(Math.floor(Math.random() * 4096));
    return this.#nextId.toString();
  }

  user(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  /** A guild with text channels; the bot is a member with its managed role. */
  createGuild(name: string, channelNames: readonly string[]): { guild: FakeGuild; channelIds: string[] } {
    const id = this.snowflake();
    const botRoleId = this.snowflake();
    const everyone = role(id, "@everyone");
    const botRole = { ...role(botRoleId, this.bot.username), managed: true, tags: { bot_id: this.bot.id } };
    const guild: FakeGuild = { id, name, botRoleId, roles: [everyone, botRole] };
    this.guilds.set(id, guild);
    const channelIds = channelNames.map((channelName, position) => {
      const channelId = this.snowflake();
      this.channels.set(channelId, {
        id: channelId,
        type: 0,
        guild_id: id,
        name: channelName,
        position,
        parent_id: null,
      } as APIChannel);
      return channelId;
    });
    return { guild, channelIds };
  }

  /** The GUILD_CREATE payload a bot gets for a guild it is in. */
  guildCreatePayload(guild: FakeGuild): Partial<APIGuild> & Record<string, unknown> {
    const inGuild = [...this.channels.values()].filter((channel) => channel.guild_id === guild.id);
    return {
      id: guild.id,
      name: guild.name,
      unavailable: false,
      roles: guild.roles,
      member_count: this.users.size,
      joined_at: new Date().toISOString(),
      members: [
        {
          user: { ...this.userPayload(this.bot) },
          roles: [guild.botRoleId],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      ],
      channels: inGuild.filter((channel) => !isThread(channel.type)),
      threads: inGuild.filter((channel) => isThread(channel.type)),
    };
  }

  userPayload(user: FakeUser): APIUser {
    return {
      id: user.id,
      username: user.username,
      global_name: user.global_name ?? null,
      discriminator: "0",
      avatar: null,
      ...(user.bot ? { bot: true } : {}),
    } as APIUser;
  }

  /** The DM channel between the bot and `userId`, opened on first use as Discord does. */
  dmChannel(userId: string): APIChannel {
    for (const channel of this.channels.values()) {
      const recipients = (channel as { recipients?: APIUser[] }).recipients;
      if (channel.type === 1 && recipients?.some((user) => user.id === userId)) return channel;
    }
    const user = this.users.get(userId);
    if (!user) throw new DiscordRefusal(400, { code: 50033, message: "Invalid Recipient(s)" });
    const id = this.snowflake();
    const channel = {
      id,
      type: 1,
      last_message_id: null,
      recipients: [this.userPayload(user)],
    } as APIChannel;
    this.channels.set(id, channel);
    return channel;
  }

  channel(channelId: string): APIChannel & { guild_id?: string; parent_id?: string | null } {
    const channel = this.channels.get(channelId);
    if (!channel) throw new DiscordRefusal(404, { code: 10003, message: "Unknown Channel" });
    return channel;
  }

  /** A thread under `parentId`; from a message, it takes that message's id, as on Discord. */
  createThread(parentId: string, name: string, by: "bot" | "user", fromMessageId?: string): APIChannel {
    const parent = this.channel(parentId);
    if (parent.type !== 0 && parent.type !== 5)
      throw new DiscordRefusal(400, { code: 50024, message: "Cannot execute action on this channel type" });
    if (fromMessageId !== undefined && this.channels.has(fromMessageId))
      throw new DiscordRefusal(400, {
        code: 160004,
        message: "A thread has already been created for this message",
      });
    const id = fromMessageId ?? this.snowflake();
    const owner = by === "bot" ? this.bot.id : undefined;
    const thread = {
      id,
      type: 11,
      guild_id: parent.guild_id,
      parent_id: parentId,
      name: name.slice(0, 100),
      owner_id: owner,
      message_count: 0,
      member_count: 1,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    } as unknown as APIChannel;
    this.channels.set(id, thread);
    this.threads.push({
      threadId: id,
      parentId,
      name: name.slice(0, 100),
      ...(fromMessageId !== undefined ? { fromMessageId } : {}),
      by,
      at: Date.now(),
    });
    return thread;
  }

  /** A message as Discord's API returns it (and MESSAGE_CREATE carries it, with extra fields). */
  message(input: {
    channelId: string;
    author: FakeUser;
    content: string;
    mentions?: FakeUser[];
    mentionRoles?: string[];
    replyTo?: string;
  }): APIMessage & { guild_id?: string } {
    const channel = this.channel(input.channelId);
    const referenced = input.replyTo !== undefined ? this.messages.get(input.replyTo) : undefined;
    const message = {
      id: this.snowflake(),
      channel_id: input.channelId,
      ...(channel.guild_id !== undefined ? { guild_id: channel.guild_id } : {}),
      author: this.userPayload(input.author),
      content: input.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: (input.mentions ?? []).map((user) => this.userPayload(user)),
      mention_roles: input.mentionRoles ?? [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: referenced ? 19 : 0,
      flags: 0,
      ...(referenced
        ? {
            message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id },
            referenced_message: referenced,
          }
        : {}),
    } as unknown as APIMessage & { guild_id?: string };
    this.messages.set(message.id, message);
    return message;
  }
}

function role(id: string, name: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: 0,
    permissions: "0",
    managed: false,
    mentionable: false,
    flags: 0,
  } as unknown as APIRole;
}

export function isThread(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}
