import { type FakeBotState, kindOf } from "./fake-bot-state.js";

/** One POST of an update to the webhook and how it was answered (0: no answer). */
export interface WebhookDelivery {
  updateId: number;
  status: number;
  at: number;
}

/**
 * Posts pending updates to the webhook one at a time, oldest first, as Telegram does: with the
 * `X-Telegram-Bot-Api-Secret-Token` header, forgetting an update on a 2xx answer and posting it
 * again otherwise. Telegram retries for hours; the fake tries a few times, then waits for the next
 * update or `setWebhook` to try again.
 */
export class FakeWebhookPusher {
  readonly deliveries: WebhookDelivery[] = [];
  readonly #state: FakeBotState;
  readonly #attempts: number;
  readonly #retryDelayMs: number;
  readonly #abort = new AbortController();
  #pushing = false;
  #gaveUpOn: number | undefined;

  constructor(state: FakeBotState, options: { attempts?: number; retryDelayMs?: number } = {}) {
    this.#state = state;
    this.#attempts = options.attempts ?? 4;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
  }

  /** Called on every state change: starts pushing when there is something to push. */
  poke(): void {
    if (this.#pushing || this.#abort.signal.aborted || !this.#state.webhook) return;
    const next = this.#next();
    if (!next || next.update_id === this.#gaveUpOn) return;
    this.#pushing = true;
    this.#drain()
      .catch(() => {})
      .finally(() => {
        this.#pushing = false;
        if (this.#gaveUpOn === undefined) this.poke();
      });
  }

  stop(): void {
    this.#abort.abort();
  }

  /** A new update or a new webhook gives a stuck update another round of attempts. */
  retryStuck(): void {
    this.#gaveUpOn = undefined;
    this.poke();
  }

  #next() {
    const webhook = this.#state.webhook;
    return webhook ? this.#state.available(1, webhook.allowedUpdates)[0] : undefined;
  }

  async #drain(): Promise<void> {
    for (let update = this.#next(); update; update = this.#next()) {
      let delivered = false;
      for (let attempt = 1; attempt <= this.#attempts && !delivered; attempt += 1) {
        const webhook = this.#state.webhook;
        if (!webhook || this.#abort.signal.aborted) return;
        const status = await this.#post(webhook.url, webhook.secretToken, update);
        this.deliveries.push({ updateId: update.update_id, status, at: Date.now() });
        delivered = status >= 200 && status < 300;
        if (!delivered) {
          this.#state.lastWebhookError = {
            date: Math.floor(Date.now() / 1000),
            message: status === 0 ? "Connection refused" : `Wrong response from the webhook: ${status}`,
          };
          this.#state.changed();
          await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs * attempt));
        }
      }
      if (!delivered) {
        this.#gaveUpOn = update.update_id;
        return;
      }
      const id = update.update_id;
      this.#state.removeUpdates((pending) => pending.update_id === id && kindOf(pending) === kindOf(update));
    }
  }

  async #post(url: string, secretToken: string | undefined, update: object): Promise<number> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secretToken !== undefined ? { "x-telegram-bot-api-secret-token": secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: this.#abort.signal,
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}
