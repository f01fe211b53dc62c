import type { ProviderFetch } from "../../models/index.js";
import { fromWireError, toWireError } from "../wire-error.js";
import type { EgressFromWorker, EgressToWorker } from "./worker-protocol.js";

/** Statuses whose Response must not have a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

interface RelayedRequest {
  resolve: (response: Response) => void;
  reject: (error: unknown) => void;
  stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * The worker's side of model egress: a `fetch` for the AI SDK that does not touch the network
 * but hands each request to the gateway, which swaps the credential placeholder for the real
 * key and sends it. The agent's thread therefore never holds a key, only a placeholder that is
 * worthless anywhere but on the way to its own provider.
 */
export function createEgressRelay(post: (message: EgressFromWorker) => void): {
  fetch: ProviderFetch;
  onMessage: (message: EgressToWorker) => void;
} {
  const requests = new Map<string, RelayedRequest>();

  const finish = (requestId: string) => {
    const entry = requests.get(requestId);
    requests.delete(requestId);
    entry?.signal.removeEventListener("abort", entry.onAbort);
    return entry;
  };

  const relayFetch: ProviderFetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const requestId = crypto.randomUUID();
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        post({ type: "egress-abort", requestId });
        const entry = finish(requestId);
        if (entry?.stream) entry.stream.error(request.signal.reason);
        else entry?.reject(request.signal.reason);
      };
      request.signal.addEventListener("abort", onAbort, { once: true });
      requests.set(requestId, { resolve, reject, stream: undefined, signal: request.signal, onAbort });
      post({
        type: "egress-request",
        requestId,
        url: request.url,
        method: request.method,
        headers: [...request.headers],
        ...(body ? { body } : {}),
      });
    });
  };

  const onMessage = (message: EgressToWorker) => {
    const entry = requests.get(message.requestId);
    if (!entry) return;
    switch (message.type) {
      case "egress-head": {
        const { requestId } = message;
        const body = NULL_BODY_STATUSES.has(message.status)
          ? null
          : new ReadableStream<Uint8Array>({
              start: (controller) => {
                entry.stream = controller;
              },
              cancel: () => {
                post({ type: "egress-abort", requestId });
                finish(requestId);
              },
            });
        entry.resolve(
          new Response(body, {
            status: message.status,
            statusText: message.statusText,
            headers: message.headers,
          }),
        );
        if (!body) finish(requestId);
        break;
      }
      case "egress-chunk":
        entry.stream?.enqueue(message.chunk);
        break;
      case "egress-end":
        finish(message.requestId);
        entry.stream?.close();
        break;
      case "egress-error": {
        finish(message.requestId);
        const error = message.network
          ? // The shape undici gives a failed connection, which the SDK recognises as one.
            new TypeError("fetch failed", { cause: new Error(message.error.message) })
          : fromWireError(message.error);
        if (entry.stream) entry.stream.error(error);
        else entry.reject(error);
        break;
      }
    }
  };

  return { fetch: relayFetch, onMessage };
}

/**
 * The gateway's side: performs the relayed requests through the egress fetch and streams the
 * answers back. One per agent thread; `abortAll` when the thread goes away.
 */
export class EgressRelayHost {
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly egressFetch: ProviderFetch,
    private readonly post: (message: EgressToWorker, transfer?: ArrayBuffer[]) => void,
  ) {}

  handle(message: EgressFromWorker): void {
    if (message.type === "egress-abort") {
      this.active.get(message.requestId)?.abort();
      this.active.delete(message.requestId);
      return;
    }
    void this.perform(message);
  }

  abortAll(): void {
    for (const controller of this.active.values()) controller.abort();
    this.active.clear();
  }

  private async perform(message: Extract<EgressFromWorker, { type: "egress-request" }>): Promise<void> {
    const { requestId } = message;
    const controller = new AbortController();
    this.active.set(requestId, controller);
    let answered = false;
    try {
      const response = await this.egressFetch(message.url, {
        method: message.method,
        headers: message.headers,
        ...(message.body ? { body: message.body } : {}),
        signal: controller.signal,
      });
      answered = true;
      this.post({
        type: "egress-head",
        requestId,
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
      });
      if (response.body) {
        for await (const chunk of response.body) {
          if (controller.signal.aborted) return;
          const copy = new Uint8Array(chunk);
          this.post({ type: "egress-chunk", requestId, chunk: copy }, [copy.buffer]);
        }
      }
      this.post({ type: "egress-end", requestId });
    } catch (error) {
      if (controller.signal.aborted) return;
      const network = !answered && error instanceof TypeError;
      const described = network && error.cause instanceof Error ? new Error(error.cause.message) : error;
      this.post({ type: "egress-error", requestId, error: toWireError(described), network });
    } finally {
      this.active.delete(requestId);
    }
  }
}
