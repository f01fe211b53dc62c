import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DiscordRefusal } from "./fake-discord-state.js";

/** What a route handler is given. */
export interface RestRequest {
  method: string;
  /** `["channels", "123", "messages"]`, after `/api/v10/`. */
  parts: string[];
  body: Record<string, unknown>;
}

export interface RestAnswer {
  status: number;
  body?: unknown;
}

export type RestRoutes = (request: RestRequest) => RestAnswer | undefined;

/** A route's bucket, as Discord names it: the method, the path with ids as `:id`, the major parameter. */
export interface RouteKey {
  /** `POST /channels/:id/messages`, what `rateLimitNext` takes. */
  template: string;
  /** The channel (or guild, webhook) id the bucket is per. */
  major: string;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

/** One 429 the fake answered, for tests to check that the client waited it out. */
export interface RateLimitedEntry {
  template: string;
  retryAfterMs: number;
  at: number;
}

/**
 * Discord's REST rate limits as its headers say them: each route bucket (per major parameter)
 * allows `limit` requests per `windowMs`; every answer carries X-RateLimit-Limit, -Remaining,
 * -Reset, -Reset-After and -Bucket; a request over the limit gets a 429 with Retry-After and
 * `{ message, retry_after, global }`. Tests can force the next request of a route to a 429.
 */
export class FakeRateLimits {
  readonly #buckets = new Map<string, Bucket>();
  readonly #forced = new Map<string, number[]>();
  readonly limited: RateLimitedEntry[] = [];

  constructor(private readonly options: { limit: number; windowMs: number }) {}

  forceNext(template: string, retryAfterMs: number): void {
    const queue = this.#forced.get(template) ?? [];
    queue.push(retryAfterMs);
    this.#forced.set(template, queue);
  }

  /** Writes the headers; answers the request with a 429 itself when it is over the limit. */
  admit(key: RouteKey, response: ServerResponse): boolean {
    const now = Date.now();
    const id = `${key.template}:${key.major}`;
    let bucket = this.#buckets.get(id);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { remaining: this.options.limit, resetAt: now + this.options.windowMs };
      this.#buckets.set(id, bucket);
    }
    const forced = this.#forced.get(key.template)?.shift();
    if (forced !== undefined) bucket = { remaining: 0, resetAt: now + forced };
    const hash = createHash("sha1").update(key.template).digest("hex").slice(0, 16);
    const resetAfter = Math.max(0, bucket.resetAt - now) / 1000;
    response.setHeader("X-RateLimit-Limit", String(this.options.limit));
    response.setHeader("X-RateLimit-Bucket", hash);
    response.setHeader("X-RateLimit-Reset", (bucket.resetAt / 1000).toFixed(3));
    response.setHeader("X-RateLimit-Reset-After", resetAfter.toFixed(3));
    if (bucket.remaining <= 0) {
      const retryAfterMs = Math.max(1, bucket.resetAt - now);
      this.limited.push({ template: key.template, retryAfterMs, at: now });
      response.setHeader("X-RateLimit-Remaining", "0");
      response.setHeader("X-RateLimit-Scope", "user");
      response.setHeader("Retry-After", String(Math.ceil(retryAfterMs / 1000)));
      sendJson(response, 429, {
        message: "You are being rate limited.",
        retry_after: retryAfterMs / 1000,
        global: false,
      });
      return false;
    }
    bucket.remaining -= 1;
    response.setHeader("X-RateLimit-Remaining", String(bucket.remaining));
    return true;
  }
}

/** `POST /channels/:id/messages` and its major parameter, for a path after `/api/v10/`. */
export function routeKey(method: string, parts: readonly string[]): RouteKey {
  const template = parts.map((part) => (/^\d+$/.test(part) ? ":id" : part)).join("/");
  const major = ["channels", "guilds", "webhooks"].includes(parts[0] ?? "") ? (parts[1] ?? "") : "";
  return { template: `${method} /${template}`, major };
}

export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new DiscordRefusal(400, { code: 50109, message: "The request body contains invalid JSON." });
  return parsed as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Checks a created or edited message's content as Discord does. */
export function checkContent(body: Record<string, unknown>): string {
  const content = typeof body.content === "string" ? body.content : "";
  if (content.length > 2000) {
    throw new DiscordRefusal(400, {
      code: 50035,
      message: "Invalid Form Body",
      errors: {
        content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] },
      },
    });
  }
  if (content.trim() === "")
    throw new DiscordRefusal(400, { code: 50006, message: "Cannot send an empty message" });
  return content;
}
