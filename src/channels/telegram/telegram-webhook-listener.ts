import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
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
 * The HTTP listener Telegram posts updates to. Only the webhook path (POST, with the right secret
 * header) and `/healthz` (GET) are served; everything else is 404 so the port reveals nothing.
 * An update is answered 200 only once stored, and 500 when it could not be, so that Telegram
 * keeps it and posts it again.
 */
export class TelegramWebhookListener {
  readonly #settings: WebhookListenerSettings;
  readonly #server: Server;

  constructor(settings: WebhookListenerSettings) {
    this.#settings = settings;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        settings.log("error", "telegram webhook request failed", { reason: String(error) });
        if (!response.headersSent) answer(response, 500);
        else response.destroy();
      });
    });
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 30_000;
  }

  listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.#settings;
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once("error", onError);
      this.#server.listen(port, host, () => {
        this.#server.off("error", onError);
        resolve(this.address()!);
      });
    });
  }

  address(): { host: string; port: number } | undefined {
    const address = this.#server.address() as AddressInfo | null;
    return address ? { host: address.address, port: address.port } : undefined;
  }

  /** Stops accepting; requests in flight (a delivery) finish first. */
  close(): Promise<void> {
    if (!this.#server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? "/", "http://listener").pathname;
    if (pathname === "/healthz") {
      if (request.method !== "GET" && request.method !== "HEAD")
        return answer(response, 405, { allow: "GET" });
      return answer(response, 200, {}, "ok");
    }
    if (pathname !== this.#settings.path) return answer(response, 404);
    if (request.method !== "POST") return answer(response, 405, { allow: "POST" });
    const presented = request.headers["x-telegram-bot-api-secret-token"];
    if (!webhookSecretMatches(typeof presented === "string" ? presented : undefined, this.#settings.secret)) {
      // debug, not warn: anyone can knock on the port, and must not be able to flood the log.
      this.#settings.log("debug", "telegram webhook request refused: wrong or missing secret token", {
        remoteAddress: request.socket.remoteAddress,
      });
      return answer(response, 401);
    }
    const body = await readBody(request);
    if (body === undefined) return answer(response, 413, { connection: "close" });
    const update = parseUpdate(body);
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

function answer(
  response: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  body = "",
): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(body);
}

/** The body, or undefined past the limit (the rest is drained unread). */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  if (Number(request.headers["content-length"] ?? 0) > BODY_LIMIT_BYTES) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) return void chunks.push(chunk);
      request.off("data", onData);
      request.resume();
      resolve(undefined);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
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
