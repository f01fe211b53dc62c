import type { Chat, Message, Update, User } from "grammy/types";
import { ChangeSignal } from "../../testing/change-signal.js";

/** An error answer, exactly as the Bot API words it: `{ ok: false, error_code, description, parameters? }`. */
export interface BotApiErrorBody {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** A method's refusal; the server answers it with HTTP status `error_code`. */
export class BotApiRefusal extends Error {
  readonly body: BotApiErrorBody;

  constructor(body: BotApiErrorBody) {
    super(body.description);
    this.body = body;
  }
}

export const badRequest = (detail: string) =>
  new BotApiRefusal({ error_code: 400, description: `Bad Request: ${detail}` });

/** One `sendMessage` or `editMessageText` the bot made, as the test sees it. */
export interface SentEntry {
  method: "sendMessage" | "editMessageText";
  chatId: string;
  /** The text as sent (HTML when `parseMode` is HTML). */
  text: string;
  parseMode?: string;
  messageId: number;
  threadId?: number;
  replyToMessageId?: number;
  at: number;
}

export interface ChatActionEntry {
  chatId: string;
  action: string;
  threadId?: number;
  at: number;
}

export interface WebhookSetting {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
}

export interface StoredMessage {
  fromBot: boolean;
  /** The text as shown (entities parsed), and as sent, which "not modified" compares. */
  shownText: string;
  sentText: string;
}

/**
 * What the fake Bot API remembers between calls: the update queue with its confirmed offset,
 * the chats' messages, the webhook, the failures a test asked for, and the logs it reads back.
 */
export class FakeBotState extends ChangeSignal {
  readonly bot: User;
  readonly updates: Update[] = [];
  readonly sent: SentEntry[] = [];
  readonly chatActions: ChatActionEntry[] = [];
  readonly chats = new Map<string, Chat>();
  readonly messages = new Map<string, StoredMessage>();
  confirmedOffset = 0;
  /** The last `allowed_updates` a getUpdates or setWebhook gave: Telegram keeps it. */
  allowedUpdates: string[] | undefined;
  webhook: WebhookSetting | undefined;
  lastWebhookError: { date: number; message: string } | undefined;
  #nextUpdateId = 100_001;
  readonly #messageCounters = new Map<string, number>();
  readonly #failures = new Map<string, BotApiErrorBody[]>();

  constructor(bot: User) {
    super();
    this.bot = bot;
  }

  addUpdate(body: Omit<Update, "update_id">): Update {
    const update = { update_id: this.#nextUpdateId++, ...body } as Update;
    this.updates.push(update);
    this.changed();
    return update;
  }

  /** `offset` confirms every update below it: Telegram forgets them. */
  confirm(offset: number): void {
    if (offset <= this.confirmedOffset) return;
    this.confirmedOffset = offset;
    this.removeUpdates((update) => update.update_id < offset);
  }

  removeUpdates(predicate: (update: Update) => boolean): void {
    const before = this.updates.length;
    for (let index = this.updates.length - 1; index >= 0; index -= 1) {
      if (predicate(this.updates[index]!)) this.updates.splice(index, 1);
    }
    if (this.updates.length !== before) this.changed();
  }

  /** Pending updates of the allowed kinds, oldest first; others are dropped, as Telegram never keeps them. */
  available(limit: number, allowed = this.allowedUpdates): Update[] {
    if (allowed && allowed.length > 0) this.removeUpdates((update) => !allowed.includes(kindOf(update)));
    return this.updates.slice(0, limit);
  }

  nextMessageId(chatId: string): number {
    const next = (this.#messageCounters.get(chatId) ?? 0) + 1;
    this.#messageCounters.set(chatId, next);
    return next;
  }

  rememberMessage(chatId: string, messageId: number, message: StoredMessage): void {
    this.messages.set(`${chatId}:${messageId}`, message);
  }

  message(chatId: string, messageId: number): StoredMessage | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /** The chat as Telegram would describe it; one the test never introduced is made up from its id. */
  chat(chatId: string): Chat {
    const known = this.chats.get(chatId);
    if (known) return known;
    const id = Number(chatId);
    return id > 0 ? { id, type: "private", first_name: "User" } : { id, type: "supergroup", title: "Group" };
  }

  failNext(method: string, failure: BotApiErrorBody, times: number): void {
    const queue = this.#failures.get(method.toLowerCase()) ?? [];
    for (let count = 0; count < times; count += 1) queue.push(failure);
    this.#failures.set(method.toLowerCase(), queue);
  }

  takeFailure(method: string): BotApiErrorBody | undefined {
    return this.#failures.get(method.toLowerCase())?.shift();
  }
}

/** The update's kind: its one field besides `update_id` (`message`, `edited_message` …). */
export function kindOf(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
}

export type { Chat, Message, Update, User };
