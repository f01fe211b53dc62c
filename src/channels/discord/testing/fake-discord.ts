import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIChannel, APIMessage } from "@discordjs/core";
import { type ConnectionEntry, FakeDiscordGateway } from "./fake-discord-gateway.js";
import { FakeRateLimits, type RateLimitedEntry, readJson, routeKey, sendJson } from "./fake-discord-rest.js";
import { answerRoute } from "./fake-discord-routes.js";
import {
  DiscordRefusal,
  FakeDiscordState,
  type FakeGuild,
  type FakeUser,
  type SentEntry,
  type ThreadEntry,
} from "./fake-discord-state.js";

export interface FakeDiscordOptions {
  token: string;
  botUsername?: string;
  /** Op 10's heartbeat_interval; Discord's is ~41 s, tests want heartbeats to happen. */
  heartbeatIntervalMs?: number;
  /** The Developer Portal's Message Content switch; off: IDENTIFY with the intent gets 4014. */
  messageContentAllowed?: boolean;
  /** Requests per route bucket per window; Discord's message sends are 5 per 5 s per channel. */
  rateLimit?: { limit: number; windowMs: number };
}

/**
 * A loopback Discord for tests: real HTTP on 127.0.0.1 for the REST routes the bot uses
 * (`/api/v10/...`, `Authorization: Bot <token>`, Discord's JSON shapes, error codes and rate-limit
 * headers) and a real WebSocket gateway speaking Discord's protocol (see FakeDiscordGateway),
 * with controls to play the users and to read what the bot did.
 */
export class FakeDiscord {
  readonly #state: FakeDiscordState;
  readonly #gateway: FakeDiscordGateway;
  readonly #limits: FakeRateLimits;
  #token: string;
  #server: Server | undefined;

  constructor(options: FakeDiscordOptions) {
    this.#token = options.token;
    this.#state = new FakeDiscordState({
      id: "1300000000000000001",
      username: options.botUsername ?? "claw",
      global_name: "OpenClaw Test",
      bot: true,
    });
    this.#gateway = new FakeDiscordGateway(this.#state, {
      token: () => this.#token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      messageContentAllowed: options.messageContentAllowed ?? true,
    });
    this.#limits = new FakeRateLimits(options.rateLimit ?? { limit: 5, windowMs: 5000 });
  }

  async start(): Promise<{ apiBase: string }> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { message: String(error), code: 0 });
      });
    });
    server.on("upgrade", (request, socket, head) => this.#gateway.upgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.#gateway.baseUrl = `ws://127.0.0.1:${port}`;
    return { apiBase: `http://127.0.0.1:${port}/api` };
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await this.#gateway.close();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get bot(): FakeUser {
    return this.#state.bot;
  }

  user(id: string, username: string, globalName?: string): FakeUser {
    return this.#state.user({ id, username, global_name: globalName ?? null });
  }

  /** A guild the bot is in, with text channels named as given. Call before the bot connects to get it in READY. */
  createGuild(name: string, channelNames: readonly string[]): { guild: FakeGuild; channelIds: string[] } {
    const created = this.#state.createGuild(name, channelNames);
    this.#gateway.dispatch({ t: "GUILD_CREATE", d: this.#state.guildCreatePayload(created.guild) });
    return created;
  }

  /** A user's DM to the bot arrives on the gateway. */
  userSendsDm(user: FakeUser, text: string): APIMessage {
    const channel = this.#state.dmChannel(user.id);
    const message = this.#state.message({ channelId: channel.id, author: user, content: text });
    this.#gateway.dispatch({ t: "MESSAGE_CREATE", d: { ...message, channel_type: 1 } });
    return message;
  }

  /**
   * A user's message in a guild channel or thread. `mention: "user"` starts it with `<@bot>`
   * (Discord lists the bot in `mentions`), `"role"` with the bot's managed role.
   */
  userSendsInChannel(input: {
    user: FakeUser;
    channelId: string;
    text: string;
    mention?: "user" | "role";
    replyTo?: string;
  }): APIMessage {
    const channel = this.#state.channel(input.channelId);
    const guild = channel.guild_id !== undefined ? this.#state.guilds.get(channel.guild_id) : undefined;
    if (!guild) throw new Error(`fake Discord: ${input.channelId} is not a guild channel`);
    const content =
      input.mention === "user"
        ? `<@${this.#state.bot.id}> ${input.text}`
        : input.mention === "role"
          ? `<@&${guild.botRoleId}> ${input.text}`
          : input.text;
    const message = this.#state.message({
      channelId: input.channelId,
      author: input.user,
      content,
      ...(input.mention === "user" ? { mentions: [this.#state.bot] } : {}),
      ...(input.mention === "role" ? { mentionRoles: [guild.botRoleId] } : {}),
      ...(input.replyTo !== undefined ? { replyTo: input.replyTo } : {}),
    });
    this.#gateway.dispatch({
      t: "MESSAGE_CREATE",
      d: {
        ...message,
        guild_id: guild.id,
        channel_type: channel.type,
        member: {
          roles: [],
          joined_at: new Date().toISOString(),
          nick: null,
          deaf: false,
          mute: false,
          flags: 0,
        },
      },
    });
    return message;
  }

  /**
   * A user opens a thread in a channel: THREAD_CREATE goes out, unless `announce` is false (a
   * thread from before the bot's session, which it only learns of by GET /channels/{id}).
   */
  userCreatesThread(channelId: string, name: string, options: { announce?: boolean } = {}): APIChannel {
    const thread = this.#state.createThread(channelId, name, "user");
    if (options.announce !== false)
      this.#gateway.dispatch({ t: "THREAD_CREATE", d: { ...thread, newly_created: true } });
    return thread;
  }

  /** Closes the gateway connections abnormally; the sessions stay resumable. */
  dropConnection(): void {
    this.#gateway.dropConnections();
  }

  /** The next RESUME gets INVALID_SESSION. */
  invalidateSessions(): void {
    this.#gateway.invalidateSessions();
  }

  /** The token is reset in the Developer Portal: REST answers 401, the gateway closes with 4004. */
  revokeToken(newToken = `revoked-${Date.now()}`): void {
    this.#token = newToken;
    this.#gateway.closeAll(4004, "Authentication failed.");
  }

  /** The next request to `route` (`POST /channels/:id/messages`) gets a 429 asking to wait `retryAfterMs`. */
  rateLimitNext(route: string, retryAfterMs: number): void {
    this.#limits.forceNext(route, retryAfterMs);
  }

  /** An outage of the gateway (REST still answers): new connections are cut before the handshake. */
  refuseGatewayConnections(refusing: boolean): void {
    this.#gateway.setRefusing(refusing);
  }

  setHeartbeatAcks(acking: boolean): void {
    this.#gateway.setAcking(acking);
  }

  sent(): SentEntry[] {
    return [...this.#state.sent];
  }

  typingCalls(): { channelId: string; at: number }[] {
    return [...this.#state.typing];
  }

  threads(): ThreadEntry[] {
    return [...this.#state.threads];
  }

  connections(): ConnectionEntry[] {
    return this.#gateway.connections.map((entry) => ({ ...entry, ops: [...entry.ops] }));
  }

  openSockets(): number {
    return this.#gateway.openSockets();
  }

  rateLimited(): RateLimitedEntry[] {
    return [...this.#limits.limited];
  }

  /** The DM channel id between the bot and `userId` (opened if needed). */
  dmChannelId(userId: string): string {
    return this.#state.dmChannel(userId).id;
  }

  /** What a channel shows now: each bot message's last text, oldest first. */
  botMessagesIn(channelId: string): { messageId: string; content: string; replyTo?: string }[] {
    const shown = new Map<string, { messageId: string; content: string; replyTo?: string }>();
    for (const entry of this.#state.sent) {
      if (entry.channelId !== channelId) continue;
      const previous = shown.get(entry.messageId);
      shown.set(entry.messageId, {
        messageId: entry.messageId,
        content: entry.content,
        ...((previous?.replyTo ?? entry.replyTo) !== undefined
          ? { replyTo: previous?.replyTo ?? entry.replyTo }
          : {}),
      });
    }
    return [...shown.values()].sort((a, b) => (BigInt(a.messageId) < BigInt(b.messageId) ? -1 : 1));
  }

  /** Resolves once `predicate` holds, checked on every change and every 10 ms. */
  waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
    return this.#state.until(predicate, timeoutMs, "fake Discord");
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const match = /^\/api\/v10\/(.+)$/.exec(url.pathname);
    if (!match) return sendJson(response, 404, { message: "404: Not Found", code: 0 });
    // Clients escape path segments (@discordjs/core sends `/users/%40me`); Discord reads them decoded.
    const parts = match[1]!.split("/").filter(Boolean).map(decodeURIComponent);
    const method = (request.method ?? "GET").toUpperCase();
    if (request.headers.authorization !== `Bot ${this.#token}`)
      return sendJson(response, 401, { message: "401: Unauthorized", code: 0 });
    if (!this.#limits.admit(routeKey(method, parts), response)) return;
    try {
      const body = method === "GET" ? {} : await readJson(request);
      const answer = answerRoute(
        { method, parts, body },
        {
          state: this.#state,
          gatewayUrl: () => this.#gateway.url,
          dispatch: (event) => this.#gateway.dispatch(event),
        },
      );
      if (!answer) return sendJson(response, 404, { message: "404: Not Found", code: 0 });
      sendJson(response, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof DiscordRefusal)) throw error;
      sendJson(response, error.status, error.body);
    }
  }
}
