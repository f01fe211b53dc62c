import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/**
 * The plumbing shared by the fake Anthropic and OpenAI servers: a real HTTP server on loopback
 * that records every request and answers from a script. Each subclass speaks one wire format.
 * They are real servers (not fetch mocks) so that tests, e2e runs and benchmarks exercise the
 * SDK's own HTTP, SSE parsing, error and abort handling exactly as in production.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

export interface FakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens served from the provider's prompt cache (counted within inputTokens). */
  cachedInputTokens?: number;
}

export type FakeReply =
  | {
      type: "text";
      /** A string is split into word-sized chunks; an array is streamed chunk by chunk as given. */
      text: string | string[];
      finishReason?: "stop" | "length";
      usage?: FakeUsage;
      /** After the text, keep the stream open and send nothing more: a provider stalled mid-answer. */
      stall?: boolean;
    }
  | {
      type: "tool-call";
      toolName: string;
      input: unknown;
      toolCallId?: string;
      /** Text the model says before calling the tool. */
      text?: string;
      usage?: FakeUsage;
    }
  | {
      /** An HTTP error with the provider's error JSON shape. */
      type: "error";
      status: number;
      message: string;
      /** Provider error type; defaults to the provider's type for the status. */
      errorType?: string;
    }
  | {
      /** Streams some text, then the provider's mid-stream error event (non-streaming: HTTP 500). */
      type: "stream-error";
      text: string;
      message: string;
      errorType?: string;
    }
  | {
      /** Answers 200 and starts the stream, then sends nothing: a provider that hangs. */
      type: "silence";
    };

export type FakeResponder = (request: RecordedRequest) => FakeReply | undefined;

export interface FakeServerOptions {
  /** Replies used in order, one per model request. */
  replies?: FakeReply[];
  /** Decides the reply when the queue is empty. Default: echo the last user message. */
  respond?: FakeResponder;
  /** When set, requests carrying another key (or none) get the provider's 401. */
  apiKey?: string;
  /** Delay before each streamed content chunk, for a fixed streaming rate. Default 0. */
  chunkDelayMs?: number;
  /** Model name reported in responses when the request names none. */
  model?: string;
  /** What `GET /v1/models` lists (default: `model`, or one made-up id). */
  models?: string[];
}

export interface FakeServerAddress {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `url` + `/v1`: what a client's `baseUrl` should be. */
  baseUrl: string;
}

/** Splits text into word-sized chunks, so that a stream carries several deltas. */
export function chunkText(text: string | string[]): string[] {
  if (Array.isArray(text)) return text;
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));
}

let idCounter = 0;
export function fakeId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36).padStart(6, "0")}`;
}

export abstract class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client went away before the answer was complete (an abort, a timeout). */
  abandonedRequests = 0;
  protected readonly options: FakeServerOptions;
  private readonly queue: FakeReply[];
  private server: Server | undefined;

  /** The ids `GET /v1/models` answers with. */
  protected listedModels(): string[] {
    return this.options.models ?? [this.options.model ?? "fake-model"];
  }

  constructor(options: FakeServerOptions = {}) {
    this.options = options;
    this.queue = [...(options.replies ?? [])];
  }

  /** Adds replies to the end of the queue. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  get lastRequest(): RecordedRequest | undefined {
    return this.requests.at(-1);
  }

  async start(): Promise<FakeServerAddress> {
    const server = createServer((request, response) => {
      this.receive(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    return { url, baseUrl: `${url}/v1` };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers one recorded request in the provider's wire format. */
  protected abstract handle(request: RecordedRequest, response: ServerResponse): Promise<void>;

  /** The text of the last user message of a request body, for the default echo reply. */
  protected abstract lastUserText(body: unknown): string;

  protected nextReply(request: RecordedRequest): FakeReply {
    const queued = this.queue.shift();
    if (queued) return queued;
    const decided = this.options.respond?.(request);
    if (decided) return decided;
    const text = this.lastUserText(request.body).trim();
    return { type: "text", text: text ? `You said: ${text}` : "Hello from the fake provider." };
  }

  protected sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  }

  protected startSse(response: ServerResponse, headers = {}): void {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...headers,
    });
  }

  /** Writes one SSE event; returns false once the client has gone away (an aborted request). */
  protected writeSse(response: ServerResponse, data: string, event?: string): boolean {
    if (response.destroyed || response.writableEnded) return false;
    response.write(`${event ? `event: ${event}\n` : ""}data: ${data}\n\n`);
    return true;
  }

  /** Waits the configured chunk delay; returns false once the client has gone away. */
  protected async pace(response: ServerResponse): Promise<boolean> {
    const delayMs = this.options.chunkDelayMs ?? 0;
    if (delayMs > 0) await delay(delayMs);
    return !response.destroyed;
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // Kept as text: the subclass answers with the provider's invalid-JSON error.
    }
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers: request.headers,
      body,
    };
    this.requests.push(recorded);
    response.once("close", () => {
      if (!response.writableFinished) this.abandonedRequests += 1;
    });
    await this.handle(recorded, response);
  }
}
