/** What the fake Slack keeps: the bot, what it posted and edited, the failures it was told to give. */

import { ChangeSignal } from "../../testing/change-signal.js";

export interface PostedEntry {
  method: "chat.postMessage" | "chat.update";
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  /** Every form field the call carried (unfurl_links, mrkdwn …), as strings. */
  fields: Record<string, string>;
  at: number;
}

/** A Web API failure to give: Slack's `{ ok: false, error }`, or an HTTP 429 with Retry-After. */
export type FakeFailure = { error: string } | { status: 429; retryAfterSeconds: number };

export interface FakeBot {
  userId: string;
  botId: string;
  name: string;
  teamId: string;
  appId: string;
}

export class FakeSlackState extends ChangeSignal {
  readonly bot: FakeBot;
  readonly posted: PostedEntry[] = [];
  /** Every Web API call that reached a method (after token checks), in order. */
  readonly calls: { method: string; status: number; at: number }[] = [];
  /** IM channel ids by user id. */
  readonly ims = new Map<string, string>();
  readonly #failures = new Map<string, FakeFailure[]>();
  #clock = 0;

  constructor(bot: FakeBot) {
    super();
    this.bot = bot;
  }

  /** A new message timestamp, unique and increasing, as Slack's `ts` are. */
  nextTs(): string {
    this.#clock += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#clock).padStart(6, "0")}`;
  }

  imFor(userId: string): string {
    let channel = this.ims.get(userId);
    if (!channel) {
      channel = `D${userId.replace(/^[UW]/, "")}`;
      this.ims.set(userId, channel);
    }
    return channel;
  }

  failNext(method: string, failure: FakeFailure, times: number): void {
    const queue = this.#failures.get(method) ?? [];
    for (let index = 0; index < times; index += 1) queue.push(failure);
    this.#failures.set(method, queue);
  }

  takeFailure(method: string): FakeFailure | undefined {
    const queue = this.#failures.get(method);
    const failure = queue?.shift();
    if (queue && queue.length === 0) this.#failures.delete(method);
    return failure;
  }
}
