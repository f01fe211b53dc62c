import type { IncomingMessage, ServerResponse } from "node:http";
import { answer, readCappedBody, WebhookListener } from "../core/webhook-listener.js";
import type { SlackEventCallback } from "./normalize-slack-event.js";
import type { SlackLog } from "./slack-account-options.js";
import { verifySlackSignature } from "./slack-signature.js";

export interface EventsListenerSettings {
  host: string;
  port: number;
  path: string;
  signingSecret: string;
  /** Stores what the event carries; the request is answered 200 only once it resolves. */
  receive: (callback: SlackEventCallback) => Promise<void>;
  log: SlackLog;
}

/** Slack's event payloads are a few kilobytes; a body this large is not one of them. */
const BODY_LIMIT_BYTES = 512 * 1024;

/**
 * The HTTP listener Slack's Events API posts to (HTTP Request URLs mode). Nothing in a request
 * is read as Slack's before its signature is checked: not the `url_verification` challenge, not
 * an event. An event is answered 200 once durably stored and 500 when it could not be, so that
 * Slack posts it again; a retry of an event already stored (X-Slack-Retry-Num) is answered 200.
 */
export class SlackEventsListener extends WebhookListener {
  readonly #settings: EventsListenerSettings;
  /** event_ids stored, newest last: Slack's retries of them need no second delivery. */
  readonly #stored = new Set<string>();

  constructor(settings: EventsListenerSettings) {
    super(settings);
    this.#settings = settings;
  }

  protected onFailure(error: unknown): void {
    this.#settings.log("error", "slack events request failed", { reason: String(error) });
  }

  protected async handlePost(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const timestamp = header(request, "x-slack-request-timestamp");
    const signature = header(request, "x-slack-signature");
    if (!timestamp || !signature) return this.#refuse(request, response, "missing headers");
    const body = await readCappedBody(request, BODY_LIMIT_BYTES);
    if (body === undefined) return answer(response, 413, { connection: "close" });
    const verdict = verifySlackSignature({
      signingSecret: this.#settings.signingSecret,
      timestamp,
      signature,
      rawBody: body,
    });
    if (!verdict.ok) return this.#refuse(request, response, verdict.reason);
    const type = (request.headers["content-type"] ?? "").toLowerCase();
    // Slash commands and interactivity come form-encoded; they are not served here.
    if (type.startsWith("application/x-www-form-urlencoded")) return answer(response, 200);
    const callback = parseJson(body);
    if (!callback) return answer(response, 400);
    if (callback.type === "url_verification") {
      const challenge = (callback as { challenge?: unknown }).challenge;
      return typeof challenge === "string" ? answer(response, 200, {}, challenge) : answer(response, 400);
    }
    if (callback.type !== "event_callback") return answer(response, 200);
    const eventId = typeof callback.event_id === "string" ? callback.event_id : undefined;
    if (eventId && this.#stored.has(eventId)) return answer(response, 200);
    try {
      await this.#settings.receive(callback);
    } catch (error) {
      this.#settings.log("warn", "slack event could not be stored; Slack will post it again", {
        eventId,
        retry: header(request, "x-slack-retry-num"),
        reason: error instanceof Error ? error.message : String(error),
      });
      return answer(response, 500);
    }
    if (eventId) this.#remember(eventId);
    answer(response, 200, { "x-openclaw-delivery-accepted": "durable" });
  }

  #refuse(request: IncomingMessage, response: ServerResponse, reason: string): void {
    // debug, not warn: anyone can knock on the port, and must not be able to flood the log.
    this.#settings.log("debug", `slack events request refused: ${reason}`, {
      remoteAddress: request.socket.remoteAddress,
    });
    request.resume();
    answer(response, 401);
  }

  #remember(eventId: string): void {
    this.#stored.add(eventId);
    if (this.#stored.size > 1000) this.#stored.delete(this.#stored.values().next().value as string);
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function parseJson(body: Buffer): SlackEventCallback | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as SlackEventCallback)
      : undefined;
  } catch {
    return undefined;
  }
}
