import type { IncomingMessage, ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { answer, readCappedBody, WebhookListener } from "../core/webhook-listener.js";
import type { TelegramLog } from "./telegram-account-options.js";
import { webhookSecretMatches } from "./webhook-secret.js";

export interface WebhookListenerSettings {
  host: string;
  port: number;
  path: string;
  secret: string;
  /** Stores the update; the request is answered 200 only once it resolves. */
  receive: (update: Update) => Promise<void>;
  log: TelegramLog;
}

/** Telegram's updates are small; a body this large is not one of them. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The HTTP listener Telegram posts updates to: the webhook path (POST, with the right secret
 * header) and `/healthz`. An update is answered 200 only once stored, and 500 when it could not
 * be, so that Telegram keeps it and posts it again.
 */
export class TelegramWebhookListener extends WebhookListener {
  readonly #settings: WebhookListenerSettings;

  constructor(settings: WebhookListenerSettings) {
    super(settings);
    this.#settings = settings;
  }

  protected onFailure(error: unknown): void {
    this.#settings.log("error", "telegram webhook request failed", { reason: String(error) });
  }

  protected async handlePost(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const presented = request.headers["x-telegram-bot-api-secret-token"];
    if (!webhookSecretMatches(typeof presented === "string" ? presented : undefined, this.#settings.secret)) {
      // debug, not warn: anyone can knock on the port, and must not be able to flood the log.
      this.#settings.log("debug", "telegram webhook request refused: wrong or missing secret token", {
        remoteAddress: request.socket.remoteAddress,
      });
      return answer(response, 401);
    }
    const body = await readCappedBody(request, BODY_LIMIT_BYTES);
    if (body === undefined) return answer(response, 413, { connection: "close" });
    const update = parseUpdate(body.toString("utf8"));
    if (!update) return answer(response, 400);
    try {
      await this.#settings.receive(update);
    } catch (error) {
      this.#settings.log("warn", "telegram webhook update could not be stored; Telegram will post it again", {
        updateId: update.update_id,
        reason: error instanceof Error ? error.message : String(error),
      });
      return answer(response, 500);
    }
    // OpenClaw's marker that the update was durably taken, not merely answered.
    answer(response, 200, { "x-openclaw-delivery-accepted": "durable" });
  }
}

function parseUpdate(body: string): Update | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null) return undefined;
    const updateId = (value as { update_id?: unknown }).update_id;
    return typeof updateId === "number" && Number.isInteger(updateId) ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}
