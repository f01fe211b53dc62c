import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SlackEventCallback, SlackMessageEvent } from "../normalize-slack-event.js";
import { FakeEventsPusher, type PushFlaws } from "./fake-events-pusher.js";
import { type FakeBot, type FakeFailure, FakeSlackState, type PostedEntry } from "./fake-slack-state.js";
import { APP_TOKEN_METHODS, type Fields, webApiMethods } from "./fake-slack-web-api.js";
import { FakeSocketMode } from "./fake-socket-mode.js";

export interface FakeSlackOptions {
  botToken: string;
  appToken?: string;
  bot?: Partial<FakeBot>;
}

/** What a test says a user wrote; the fake fills in ts, ids and the envelope. */
export interface UserMessageInput {
  channel: string;
  /** im (a DM; `channel` may be left to the fake), channel, group (private), mpim. */
  channelType: "im" | "channel" | "group" | "mpim";
  user: string;
  text: string;
  threadTs?: string;
  /** Send an `app_mention` event as well, as Slack does when `text` mentions the bot. */
  appMention?: boolean;
  subtype?: string;
  botId?: string;
  userName?: string;
}

/**
 * A loopback Slack for tests: the Web API over real HTTP (`/api/<method>`, form bodies, Bearer
 * tokens, `{ ok, error }` answers, 429 with Retry-After), Socket Mode over a real WebSocket at
 * the URL `apps.connections.open` returns, and the Events API side that posts signed events to
 * the gateway's listener. @slack/web-api and @slack/socket-mode talk to it unmodified.
 */
export class FakeSlack {
  readonly #options: FakeSlackOptions;
  readonly #state: FakeSlackState;
  readonly socketMode: FakeSocketMode;
  readonly events = new FakeEventsPusher();
  readonly #methods: ReturnType<typeof webApiMethods>;
  #server: Server | undefined;
  #revoked = false;
  #appRevoked = false;
  #eventCounter = 0;

  constructor(options: FakeSlackOptions) {
    this.#options = options;
    this.#state = new FakeSlackState({
      userId: "U0BOTUSER",
      botId: "B0BOT",
      name: "openclaw",
      teamId: "T0TEAM",
      appId: "A0FAKEAPP",
      ...options.bot,
    });
    this.socketMode = new FakeSocketMode(() => this.#state.changed());
    this.#methods = webApiMethods(
      this.#state,
      () => `${this.#wsBase()}/link/?ticket=${this.socketMode.issueTicket()}`,
    );
  }

  async start(): Promise<{ apiUrl: string }> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          respond(response, 500, { ok: false, error: `fake_error: ${String(error)}` });
      });
    });
    server.on("upgrade", (request, socket, head) => this.socketMode.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    return { apiUrl: `${this.#httpBase()}/api/` };
  }

  async stop(): Promise<void> {
    this.events.stop();
    this.socketMode.close();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get bot(): FakeBot {
    return this.#state.bot;
  }

  /** Every chat.postMessage and chat.update that went through, in order. */
  posted(): PostedEntry[] {
    return [...this.#state.posted];
  }

  /** Every Web API call, its HTTP status (429s included), in order. */
  calls(): { method: string; status: number; at: number }[] {
    return [...this.#state.calls];
  }

  /** The IM channel of a user's DM with the bot. */
  imOf(userId: string): string {
    return this.#state.imFor(userId);
  }

  /** The next `times` calls of `method` fail so (`{ status: 429, retryAfterSeconds }` or `{ error }`). */
  failNext(method: string, failure: FakeFailure, times = 1): void {
    this.#state.failNext(method, failure, times);
  }

  /** From now on the bot token is refused with `token_revoked`. */
  revokeBotToken(): void {
    this.#revoked = true;
  }

  /** From now on the app-level token is refused with `token_revoked` (apps.connections.open). */
  revokeAppToken(): void {
    this.#appRevoked = true;
  }

  /** Events go to the Events API listener at `url`, signed with `signingSecret`, not to Socket Mode. */
  routeEventsTo(url: string, signingSecret: string): void {
    this.events.routeTo(url, signingSecret);
  }

  /** The `event_callback` body Slack would send for a user's message. */
  messageCallback(
    input: UserMessageInput,
    type: "message" | "app_mention" = "message",
    ts?: string,
  ): SlackEventCallback {
    this.#eventCounter += 1;
    const channel = input.channelType === "im" && !input.channel ? this.imOf(input.user) : input.channel;
    const event: SlackMessageEvent & Record<string, unknown> = {
      type,
      channel,
      user: input.user,
      text: input.text,
      ts: ts ?? this.#state.nextTs(),
      team: this.bot.teamId,
      event_ts: ts,
      ...(type === "message" ? { channel_type: input.channelType } : {}),
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      ...(input.subtype ? { subtype: input.subtype } : {}),
      ...(input.botId ? { bot_id: input.botId } : {}),
      ...(input.userName
        ? { user_profile: { real_name: input.userName, name: input.userName.toLowerCase() } }
        : {}),
    };
    event.event_ts = event.ts;
    return {
      token: "legacy-verification-token",
      team_id: this.bot.teamId,
      api_app_id: this.bot.appId,
      type: "event_callback",
      event_id: `Ev${String(this.#eventCounter).padStart(8, "0")}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    } as SlackEventCallback;
  }

  /**
   * A user writes: the `message` event (and the `app_mention` with the same ts when asked) goes
   * to the Events API listener when routed, else over Socket Mode. Resolves with the message's
   * ts once sent (HTTP: once answered; the statuses are in `events.deliveries`).
   */
  async userSends(input: UserMessageInput, flaws?: PushFlaws): Promise<{ ts: string; statuses: number[] }> {
    const message = this.messageCallback(input);
    const ts = message.event!.ts!;
    const bodies = [message, ...(input.appMention ? [this.messageCallback(input, "app_mention", ts)] : [])];
    const statuses: number[] = [];
    for (const body of bodies) {
      if (this.events.routed) statuses.push(await this.events.deliver(body, flaws));
      else this.socketMode.sendEvent(body);
    }
    return { ts, statuses };
  }

  /** Resolves once `predicate` holds, checked on every change and every 10 ms. */
  waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
    return this.#state.until(predicate, timeoutMs, "fake Slack");
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    const method = route?.[1];
    const handler = method ? this.#methods[method] : undefined;
    if (!method || !handler) return respond(response, 404, { ok: false, error: "unknown_method" });
    const fields = { ...Object.fromEntries(url.searchParams), ...(await readFields(request)) };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? fields.token;
    const expected = APP_TOKEN_METHODS.has(method) ? this.#options.appToken : this.#options.botToken;
    const record = (status: number) => {
      this.#state.calls.push({ method, status, at: Date.now() });
      this.#state.changed();
    };
    if (!bearer) {
      record(200);
      return respond(response, 200, { ok: false, error: "not_authed" });
    }
    if (bearer !== expected) {
      record(200);
      // An app token where a bot token goes (or the reverse) is refused as Slack refuses it.
      const wrongKind = APP_TOKEN_METHODS.has(method)
        ? bearer.startsWith("xoxb-")
        : bearer.startsWith("xapp-");
      return respond(response, 200, {
        ok: false,
        error: wrongKind ? "not_allowed_token_type" : "invalid_auth",
      });
    }
    if (APP_TOKEN_METHODS.has(method) ? this.#appRevoked : this.#revoked) {
      record(200);
      return respond(response, 200, { ok: false, error: "token_revoked" });
    }
    const failure = this.#state.takeFailure(method);
    if (failure && "status" in failure) {
      record(429);
      response.setHeader("retry-after", String(failure.retryAfterSeconds));
      return respond(response, 429, { ok: false, error: "ratelimited" });
    }
    record(200);
    if (failure) return respond(response, 200, { ok: false, error: failure.error });
    respond(response, 200, handler(fields as Fields));
  }

  #httpBase(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  #wsBase(): string {
    return this.#httpBase().replace(/^http/, "ws");
  }
}

function respond(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** The Web API takes form bodies (what @slack/web-api sends) and JSON. */
async function readFields(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString("utf8");
  if (!body) return {};
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const value = JSON.parse(body) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        typeof item === "string" ? item : JSON.stringify(item),
      ]),
    );
  }
  return Object.fromEntries(new URLSearchParams(body));
}
