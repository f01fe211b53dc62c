import {
  API,
  Client,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
} from "@discordjs/core";
import { REST } from "@discordjs/rest";
import { WebSocketManager, WebSocketShardEvents } from "@discordjs/ws";
import type {
  ChannelAccount,
  ChannelCapabilities,
  ChannelIdentity,
  InboundSink,
  OutboundTarget,
} from "../core/channel-account.js";
import { channelConnectError } from "../core/channel-errors.js";
import { chunkDiscordMarkdown, DISCORD_MESSAGE_LIMIT } from "./chunk-discord-markdown.js";
import {
  DEFAULT_API_BASE,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_RECONNECT_TIMEOUT_MS,
  type DiscordAccountOptions,
  MAX_CLIENT_RATE_LIMIT_WAIT_MS,
} from "./discord-account-options.js";
import { describeDiscordFailure, toDiscordConnectError } from "./discord-api-failure.js";
import { closeCodeError } from "./discord-close-codes.js";
import { DiscordGuildState } from "./discord-guild-state.js";
import { DiscordOutbound } from "./discord-outbound.js";
import {
  DISCORD_CHANNEL,
  type DiscordBotContext,
  isThreadChannel,
  normalizeDiscordMessage,
} from "./normalize-discord-message.js";
import { guardOrphanedSocketErrors } from "./ws-error-guard.js";

/**
 * What the bot asks the gateway for: guilds (their channels, threads, roles), guild and DM
 * messages, and their content. Message Content is privileged: it must be enabled for the bot in
 * the Developer Portal, or the gateway closes with 4014 (the account says so, with the fix).
 */
export const DISCORD_INTENTS =
  GatewayIntentBits.Guilds |
  GatewayIntentBits.GuildMessages |
  GatewayIntentBits.DirectMessages |
  GatewayIntentBits.MessageContent;

export function createDiscordAccount(options: DiscordAccountOptions): ChannelAccount {
  return new DiscordAccount(options);
}

/** One run of the account, from `start` to `stop`: events of an earlier run must not reach a later sink. */
interface Run {
  sink: InboundSink;
  gateway: WebSocketManager;
  /** READY came: from then on a fatal close fails the account; before, `start` rejects with it. */
  ready: boolean;
  failed: boolean;
  /** The last close code the gateway sent, to explain a connect that never became READY. */
  lastCloseCode: number | undefined;
  /** Set while the connection is down after READY: fires when it stays down too long. */
  downTimer: NodeJS.Timeout | undefined;
}

/**
 * One Discord bot: events from the gateway (@discordjs/ws, which heartbeats and resumes a
 * dropped session from its last sequence number, so nothing sent meanwhile is lost), sends over
 * REST (@discordjs/rest, which keeps each route's rate-limit bucket and waits out a 429).
 */
class DiscordAccount implements ChannelAccount {
  readonly channel = DISCORD_CHANNEL;
  readonly accountId: string;
  readonly capabilities: ChannelCapabilities = { edit: true, typing: true, threads: "child" };
  readonly #options: DiscordAccountOptions;
  readonly #rest: REST;
  readonly #outbound: DiscordOutbound;
  #run: Run | undefined;
  /** Deliveries run one after another so the inbox sees messages in the order Discord sent them. */
  #deliveries: Promise<void> = Promise.resolve();

  constructor(options: DiscordAccountOptions) {
    guardOrphanedSocketErrors();
    this.#options = options;
    this.accountId = options.accountId;
    this.#rest = new REST({
      api: (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, ""),
      version: "10",
      rejectOnRateLimit: (limit) => limit.retryAfter > MAX_CLIENT_RATE_LIMIT_WAIT_MS,
    }).setToken(options.token);
    this.#outbound = new DiscordOutbound(new API(this.#rest), {
      suppressEmbeds: options.suppressEmbeds ?? true,
    });
  }

  async start(sink: InboundSink): Promise<ChannelIdentity> {
    if (this.#run) throw channelConnectError(DISCORD_CHANNEL, this.accountId, "already started");
    const api = new API(this.#rest);
    const me = await api.users.getCurrent().catch((error: unknown) => {
      throw toDiscordConnectError(describeDiscordFailure("GET /users/@me", error), this.accountId);
    });
    const gateway = new WebSocketManager({
      token: this.#options.token,
      intents: DISCORD_INTENTS,
      rest: this.#rest,
    });
    const run: Run = {
      sink,
      gateway,
      ready: false,
      failed: false,
      lastCloseCode: undefined,
      downTimer: undefined,
    };
    this.#run = run;
    const state = new DiscordGuildState(me.id);
    const bot: DiscordBotContext = {
      accountId: this.accountId,
      botId: me.id,
      botUsername: me.username,
      botRoleIds: (guildId) => state.botRoleIds(guildId),
    };
    this.#listen(run, new Client({ rest: this.#rest, gateway }), state, bot);
    try {
      await this.#connect(run);
      if (this.#run !== run)
        throw channelConnectError(DISCORD_CHANNEL, this.accountId, "stopped while connecting");
      run.ready = true;
    } catch (error) {
      if (this.#run === run) this.#run = undefined;
      await Promise.resolve(gateway.destroy()).catch(() => undefined);
      throw error;
    }
    const name = me.global_name ?? undefined;
    return { id: me.id, username: me.username, ...(name ? { name } : {}) };
  }

  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    clearTimeout(run?.downTimer);
    if (run) await Promise.resolve(run.gateway.destroy()).catch(() => undefined);
    await this.#deliveries;
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
  }

  chunk(markdown: string): string[] {
    return chunkDiscordMarkdown(
      markdown,
      Math.min(this.#options.textChunkLimit ?? DISCORD_MESSAGE_LIMIT, DISCORD_MESSAGE_LIMIT),
    );
  }

  send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    return this.#outbound.send(target, markdown);
  }

  edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    return this.#outbound.edit(target, messageId, markdown);
  }

  typing(target: OutboundTarget): Promise<void> {
    return this.#outbound.typing(target);
  }

  createThread(target: OutboundTarget, name: string, intro: string): Promise<{ threadId: string }> {
    return this.#outbound.createThread(target, name, intro);
  }

  /** READY within the timeout, or the reason it did not come (a close code, a timeout). */
  async #connect(run: Run): Promise<void> {
    const timeoutMs = this.#options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            channelConnectError(
              DISCORD_CHANNEL,
              this.accountId,
              `no READY from the gateway within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        run.gateway.connect().catch((error: unknown) => {
          const byCode =
            run.lastCloseCode !== undefined ? closeCodeError(run.lastCloseCode, this.accountId) : undefined;
          if (byCode) throw byCode;
          throw toDiscordConnectError(describeDiscordFailure("gateway connect", error), this.accountId);
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  #listen(run: Run, client: Client, state: DiscordGuildState, bot: DiscordBotContext): void {
    const current = () => this.#run === run;
    const log = this.#options.log ?? (() => {});
    const fail = (error: unknown) => {
      if (!current() || !run.ready || run.failed) return;
      run.failed = true;
      run.sink.fail(error);
    };
    run.gateway.on(WebSocketShardEvents.Closed, (code) => {
      run.lastCloseCode = code;
      if (!current()) return;
      const fatal = closeCodeError(code, this.accountId);
      if (fatal) return fail(fatal);
      log("info", "discord gateway connection closed; resuming", { account: this.accountId, code });
      // The client retries forever; a connection down this long is reported, and rebuilt.
      if (run.ready && run.downTimer === undefined) {
        const downMs = this.#options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS;
        run.downTimer = setTimeout(() => {
          run.downTimer = undefined;
          fail(
            channelConnectError(
              DISCORD_CHANNEL,
              this.accountId,
              `the gateway connection has been down for ${Math.round(downMs / 1000)} s (last close ${code})`,
            ),
          );
        }, downMs);
        run.downTimer.unref();
      }
    });
    // The shard reports fatal closes as errors too; the close code above already explains them.
    run.gateway.on(WebSocketShardEvents.Error, (error) => {
      if (current()) log("warn", "discord gateway error", { account: this.accountId, error: error.message });
    });
    const up = () => {
      clearTimeout(run.downTimer);
      run.downTimer = undefined;
    };
    run.gateway.on(WebSocketShardEvents.Ready, up);
    run.gateway.on(WebSocketShardEvents.Resumed, () => {
      up();
      if (current()) log("info", "discord gateway session resumed", { account: this.accountId });
    });
    client.on(GatewayDispatchEvents.GuildCreate, ({ data }) => state.guildCreated(data));
    client.on(GatewayDispatchEvents.ThreadCreate, ({ data }) => state.channelSeen(data));
    client.on(GatewayDispatchEvents.ThreadUpdate, ({ data }) => state.channelSeen(data));
    client.on(GatewayDispatchEvents.ThreadListSync, ({ data }) => state.threadListSynced(data));
    client.on(GatewayDispatchEvents.MessageCreate, ({ data, api }) => {
      if (!current()) return;
      if (data.guild_id === undefined && !data.author.bot)
        this.#outbound.rememberDmChannel(data.author.id, data.channel_id);
      this.#deliver(
        run,
        data,
        async () => {
          if (data.guild_id === undefined || !isThreadChannel(data.channel_type)) return undefined;
          const known = state.threadParent(data.channel_id);
          if (known !== undefined) return known;
          // A thread the gateway has not told about (created before the bot saw its guild).
          const channel = await api.channels.get(data.channel_id).catch(() => undefined);
          if (channel) state.channelSeen(channel as { id: string; parent_id?: string | null });
          return state.threadParent(data.channel_id);
        },
        bot,
      );
    });
  }

  #deliver(
    run: Run,
    data: GatewayMessageCreateDispatchData,
    parentOf: () => Promise<string | undefined>,
    bot: DiscordBotContext,
  ): void {
    this.#deliveries = this.#deliveries.then(async () => {
      if (this.#run !== run) return;
      try {
        const message = normalizeDiscordMessage(data, bot, await parentOf());
        if (message) await run.sink.deliver([message]);
      } catch (error) {
        // The gateway sent this event once; a resumed session does not send it again.
        run.sink.warn("discord message lost: it could not be stored", {
          channelId: data.channel_id,
          messageId: data.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }
}
