import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookAddress {
  host: string;
  port: number;
  /** The one path platform posts are served on; every other path but `/healthz` is 404. */
  path: string;
}

/**
 * The HTTP server a platform's webhook posts to, without the platform: timeouts, listen and
 * close, `/healthz`, and the path and method checks. Only the webhook path (POST) and
 * `/healthz` (GET/HEAD) are served; everything else is 404 so the port reveals nothing.
 * A platform's listener extends it with what a POST means to that platform.
 */
export abstract class WebhookListener {
  readonly #address: WebhookAddress;
  readonly #server: Server;

  constructor(address: WebhookAddress) {
    this.#address = address;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        this.onFailure(error);
        if (!response.headersSent) answer(response, 500);
        else response.destroy();
      });
    });
    // A client that trickles headers or a body must not hold a socket open indefinitely.
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 30_000;
  }

  /** Serves a POST to the webhook path; what it throws is answered 500 (or the reply cut). */
  protected abstract handlePost(request: IncomingMessage, response: ServerResponse): Promise<void>;

  /** Told of what `handlePost` threw. */
  protected abstract onFailure(error: unknown): void;

  listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.#address;
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
    if (pathname !== this.#address.path) return answer(response, 404);
    if (request.method !== "POST") return answer(response, 405, { allow: "POST" });
    await this.handlePost(request, response);
  }
}

/** A plain-text answer; the body is empty unless given. */
export function answer(
  response: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  body = "",
): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(body);
}

/**
 * The raw body (a signature covers these exact bytes), or undefined past `limitBytes`: the rest
 * is drained unread, so a declared or streamed oversize body costs no more than the limit.
 */
export function readCappedBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers["content-length"] ?? 0) > limitBytes) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      request.off("data", onData);
      request.resume();
      resolve(undefined);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks)));
    request.once("error", reject);
  });
}
