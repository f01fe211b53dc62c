import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { METHOD_HANDLERS, type Parameters } from "./fake-bot-methods.js";
import {
  type BotApiErrorBody,
  BotApiRefusal,
  type Chat,
  type ChatActionEntry,
  FakeBotState,
  type Message,
  type SentEntry,
  type Update,
  type User,
  type WebhookSetting,
} from "./fake-bot-state.js";
import { decodeFields, readParameters, respond } from "./fake-bot-wire.js";
import { mentionEntitiesOf } from "./fake-message-entities.js";
import { FakeWebhookPusher, type WebhookDelivery } from "./fake-webhook-pusher.js";

export interface FakeTelegramBotApiOptions {
  token: string;
  botUsername?: string;
  botId?: number;
}

/** What a test says a user sent; the fake fills in ids, the date and mention entities. */
export interface UserMessageInput {
  chat: {
    id: number;
    type: "private" | "group" | "supergroup" | "channel";
    title?: string;
    is_forum?: boolean;
  };
  from: { id: number; first_name: string; last_name?: string; username?: string };
  text: string;
  entities?: Message["entities"];
  message_thread_id?: number;
  is_topic_message?: boolean;
  reply_to_message?: Partial<Message> & { message_id: number };
}

interface LongPoll {
  /** Answers now with what is available (empty when nothing is). */
  flush(): void;
  /** Another getUpdates came in: Telegram ends this one with a 409. */
  conflict(): void;
}

/**
 * A loopback Bot API for tests: real HTTP on 127.0.0.1 that grammY talks to as it would to
 * api.telegram.org (`/bot<token>/<method>`, JSON or form bodies, `{ ok, result }` answers, the same
 * error codes and descriptions), with controls to play the users and to read what the bot did.
 */
export class FakeTelegramBotApi {
  readonly #token: string;
  readonly #state: FakeBotState;
  readonly #pusher: FakeWebhookPusher;
  readonly #polls = new Set<LongPoll>();
  #server: Server | undefined;

  constructor(options: FakeTelegramBotApiOptions) {
    this.#token = options.token;
    this.#state = new FakeBotState({
      id: options.botId ?? 7_000_000_001,
      is_bot: true,
      first_name: "OpenClaw Test",
      username: options.botUsername ?? "openclaw_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    } as User);
    this.#pusher = new FakeWebhookPusher(this.#state);
    this.#state.onChange(() => {
      for (const poll of [...this.#polls]) poll.flush();
      this.#pusher.poke();
    });
  }

  async start(): Promise<{ apiRoot: string }> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          respond(response, 500, { ok: false, error_code: 500, description: String(error) });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    return { apiRoot: `http://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    this.#pusher.stop();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const poll of [...this.#polls]) poll.flush();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // grammY keeps connections alive; a test must not wait for them to time out.
      server.closeAllConnections();
    });
  }

  get bot(): User {
    return this.#state.bot;
  }

  /** A user's message arrives: it is queued as an update for getUpdates or the webhook. */
  userSends(input: UserMessageInput): Update {
    const chatId = String(input.chat.id);
    const chat = (
      input.chat.type === "private"
        ? { id: input.chat.id, type: "private", first_name: input.from.first_name }
        : { ...input.chat, title: input.chat.title ?? "Test group" }
    ) as Chat;
    this.#state.chats.set(chatId, chat);
    const messageId = this.#state.nextMessageId(chatId);
    this.#state.rememberMessage(chatId, messageId, {
      fromBot: false,
      shownText: input.text,
      sentText: input.text,
    });
    const entities = input.entities ?? mentionEntitiesOf(input.text);
    const message = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { is_bot: false, ...input.from },
      text: input.text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(input.message_thread_id !== undefined ? { message_thread_id: input.message_thread_id } : {}),
      ...(input.is_topic_message ? { is_topic_message: true } : {}),
      ...(input.reply_to_message ? { reply_to_message: input.reply_to_message } : {}),
    } as Message;
    this.#pusher.retryStuck();
    return this.#state.addUpdate({ message } as Omit<Update, "update_id">);
  }

  /** Queues any other update (`edited_message`, `channel_post`, `callback_query` …) as given. */
  pushUpdate(body: Omit<Update, "update_id">): Update {
    this.#pusher.retryStuck();
    return this.#state.addUpdate(body);
  }

  /** The next `times` calls of `method` fail with this error (`error_code` is the HTTP status too). */
  failNext(method: string, failure: BotApiErrorBody, times = 1): void {
    this.#state.failNext(method, failure, times);
  }

  /** Every sendMessage and editMessageText that went through, in order. */
  sent(): SentEntry[] {
    return [...this.#state.sent];
  }

  chatActions(): ChatActionEntry[] {
    return [...this.#state.chatActions];
  }

  /** The highest offset a getUpdates confirmed: every update below it is gone. */
  confirmedOffset(): number {
    return this.#state.confirmedOffset;
  }

  pendingUpdates(): Update[] {
    return [...this.#state.updates];
  }

  /** The webhook as the last setWebhook left it (its secret included), or undefined. */
  webhook(): WebhookSetting | undefined {
    return this.#state.webhook ? { ...this.#state.webhook } : undefined;
  }

  /**
   * Posts to `url` instead of the URL the bot set, as a reverse proxy in front of the bot's
   * listener would: a test only learns the listener's ephemeral port after the bot started.
   */
  routeWebhookTo(url: string): void {
    if (!this.#state.webhook) throw new Error("fake Bot API: no webhook is set");
    this.#state.webhook = { ...this.#state.webhook, url };
    this.#pusher.retryStuck();
  }

  webhookDeliveries(): WebhookDelivery[] {
    return [...this.#pusher.deliveries];
  }

  /** Long polls waiting right now. */
  waitingPolls(): number {
    return this.#polls.size;
  }

  /** Resolves once `predicate` holds, checked on every change and every 10 ms. */
  waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
    return this.#state.until(predicate, timeoutMs, "fake Bot API");
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return respond(response, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (route[1] !== this.#token)
      return respond(response, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = route[2]!.toLowerCase();
    const handler = METHOD_HANDLERS[method];
    if (!handler && method !== "getupdates") {
      return respond(response, 404, { ok: false, error_code: 404, description: "Not Found" });
    }
    let parameters: Parameters;
    try {
      parameters = { ...decodeFields(url.searchParams), ...(await readParameters(request)) };
    } catch (error) {
      return respond(response, 400, {
        ok: false,
        error_code: 400,
        description: `Bad Request: ${(error as Error).message}`,
      });
    }
    const failure = this.#state.takeFailure(method);
    if (failure) return respond(response, failure.error_code, { ok: false, ...failure });
    try {
      if (method === "getupdates") return this.#getUpdates(parameters, response);
      const answer = handler!(this.#state, parameters);
      respond(response, 200, {
        ok: true,
        result: answer.result,
        ...(answer.description ? { description: answer.description } : {}),
      });
    } catch (error) {
      if (!(error instanceof BotApiRefusal)) throw error;
      respond(response, error.body.error_code, { ok: false, ...error.body });
    }
  }

  /** Long polling as Telegram does it: answer at once when updates wait, else hold up to `timeout` s. */
  #getUpdates(parameters: Parameters, response: ServerResponse): void {
    const state = this.#state;
    if (state.webhook) {
      throw new BotApiRefusal({
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    for (const poll of [...this.#polls]) poll.conflict();
    const offset = parameters.offset === undefined ? undefined : Number(parameters.offset);
    if (offset !== undefined && Number.isInteger(offset)) state.confirm(offset);
    const limit = Math.min(100, Math.max(1, Number(parameters.limit ?? 100) || 100));
    const timeoutSeconds = Math.max(0, Number(parameters.timeout ?? 0) || 0);
    if (Array.isArray(parameters.allowed_updates))
      state.allowedUpdates = parameters.allowed_updates.map(String);
    const ready = state.available(limit);
    if (ready.length > 0 || timeoutSeconds === 0) {
      respond(response, 200, { ok: true, result: ready });
      return;
    }
    let settled = false;
    const settle = (status: number, body: object) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.#polls.delete(poll);
      if (!response.destroyed && !response.writableEnded) respond(response, status, body);
    };
    const poll: LongPoll = {
      flush: () => {
        const updates = state.available(limit);
        if (updates.length > 0 || !this.#server) settle(200, { ok: true, result: updates });
      },
      conflict: () =>
        settle(409, {
          ok: false,
          error_code: 409,
          description:
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        }),
    };
    const timer = setTimeout(
      () => settle(200, { ok: true, result: state.available(limit) }),
      timeoutSeconds * 1000,
    );
    // The client gave up (grammY aborted the poll): nothing to answer.
    response.once("close", () => {
      settled = true;
      clearTimeout(timer);
      this.#polls.delete(poll);
    });
    this.#polls.add(poll);
  }
}
