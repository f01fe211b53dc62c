import { slackSignature } from "../slack-signature.js";

/** How to spoil a push, to test that the listener refuses it. */
export interface PushFlaws {
  /** Sign with another secret. */
  badSignature?: boolean;
  /** A timestamp this many seconds old (Slack's window is 300). */
  ageSeconds?: number;
  /** Leave out X-Slack-Signature, X-Slack-Request-Timestamp, or both. */
  omit?: ("signature" | "timestamp")[];
  /** Change the body after signing. */
  tamperBody?: (body: string) => string;
}

/** One POST to the Events API listener and how it was answered (0: no answer). */
export interface EventsDelivery {
  eventId: string | undefined;
  retryNum: number;
  status: number;
  body: string;
  at: number;
}

/**
 * Slack's side of the Events API: POSTs JSON bodies to the request URL, signed as Slack signs
 * them, and posts again (X-Slack-Retry-Num 1..3) when the answer is not 2xx, as Slack does.
 */
export class FakeEventsPusher {
  readonly deliveries: EventsDelivery[] = [];
  #url: string | undefined;
  #signingSecret: string | undefined;
  readonly #retryDelayMs: number;
  readonly #abort = new AbortController();

  constructor(options: { retryDelayMs?: number } = {}) {
    this.#retryDelayMs = options.retryDelayMs ?? 100;
  }

  routeTo(url: string, signingSecret: string): void {
    this.#url = url;
    this.#signingSecret = signingSecret;
  }

  get routed(): boolean {
    return this.#url !== undefined;
  }

  stop(): void {
    this.#abort.abort();
  }

  /** Posts `body`, retrying up to three times on a non-2xx answer; resolves with the last status. */
  async deliver(body: object, flaws: PushFlaws = {}): Promise<number> {
    let status = 0;
    for (let retry = 0; retry <= 3; retry += 1) {
      status = await this.post(body, flaws, retry);
      if (status >= 200 && status < 300) return status;
      // Slack would retry a 401 too; the fake does not, so refusal tests stay short.
      if (status === 401 || this.#abort.signal.aborted) return status;
      await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs * (retry + 1)));
    }
    return status;
  }

  /** One POST, no retries. */
  async post(body: object, flaws: PushFlaws = {}, retryNum = 0): Promise<number> {
    if (!this.#url || !this.#signingSecret) throw new Error("fake Slack: no Events API URL to push to");
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000) - (flaws.ageSeconds ?? 0));
    const secret = flaws.badSignature ? `${this.#signingSecret}-not` : this.#signingSecret;
    const signature = slackSignature(secret, timestamp, raw);
    const sent = flaws.tamperBody ? flaws.tamperBody(raw) : raw;
    const omit = new Set(flaws.omit ?? []);
    const eventId = (body as { event_id?: string }).event_id;
    let status = 0;
    let answer = "";
    try {
      const response = await fetch(this.#url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
          ...(omit.has("timestamp") ? {} : { "x-slack-request-timestamp": timestamp }),
          ...(omit.has("signature") ? {} : { "x-slack-signature": signature }),
          ...(retryNum > 0
            ? { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_error" }
            : {}),
        },
        body: sent,
        signal: this.#abort.signal,
      });
      status = response.status;
      answer = await response.text();
    } catch {
      status = 0;
    }
    this.deliveries.push({ eventId, retryNum, status, body: answer, at: Date.now() });
    return status;
  }
}
