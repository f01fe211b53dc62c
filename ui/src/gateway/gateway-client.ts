import { randomId } from "../random-id.js";
import type { HelloOk, ProtocolError, ServerFrame } from "./protocol-types.js";

const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** A `res` frame with `ok: false`, or a connection that failed before it could answer. */
export class GatewayRequestError extends Error {
  readonly code: string;
  readonly detailCode: string | undefined;
  /** The gateway's stable error code (`OC_ERR_…`), when it sent one. */
  readonly ocCode: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(error: ProtocolError) {
    super(error.message);
    this.name = "GatewayRequestError";
    this.code = error.code;
    this.detailCode = typeof error.details?.code === "string" ? error.details.code : undefined;
    this.ocCode = typeof error.details?.ocCode === "string" ? error.details.ocCode : undefined;
    this.retryAfterMs = error.retryAfterMs;
  }
}

/** The socket closed (or never opened) before an answer came. */
export const CONNECTION_LOST = "CONNECTION_LOST";

type EventListener = (payload: unknown) => void;

interface PendingRequest {
  resolve: (payload: unknown) => void;
  reject: (error: GatewayRequestError) => void;
  timer: number;
}

export interface ConnectOptions {
  url: string;
  token: string;
}

/** Where the gateway listens for this page: the same host, `/`, over wss when the page is https. */
export function gatewaySocketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`;
}

/**
 * One WebSocket to the gateway: waits for `connect.challenge`, sends `connect` with the token,
 * then carries `req`/`res` frames matched by id and hands `event` frames to listeners.
 */
export class GatewayClient {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closedByUs = false;

  private constructor(private readonly socket: WebSocket) {}

  /** Resolves with the client and `hello-ok` once the gateway accepted the token. */
  static connect(options: ConnectOptions): Promise<{ client: GatewayClient; hello: HelloOk }> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(options.url);
      } catch (error) {
        reject(lost(`could not open ${options.url}: ${(error as Error).message}`));
        return;
      }
      const client = new GatewayClient(socket);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        window.clearTimeout(timer);
        outcome();
      };
      const timer = window.setTimeout(() => {
        settle(() => reject(lost("the gateway did not answer connect in time")));
        client.close();
      }, CONNECT_TIMEOUT_MS);

      socket.addEventListener("message", (message) => client.handleMessage(message.data));
      socket.addEventListener("close", (event) => {
        client.handleClose(event.reason || `closed (${event.code})`);
        settle(() => reject(lost("the connection to the gateway closed")));
      });
      // The challenge nonce is for nodes signing their identity; an operator only needs to wait for it.
      const offChallenge = client.on("connect.challenge", () => {
        offChallenge();
        client
          .request<HelloOk>("connect", {
            minProtocol: 3,
            maxProtocol: 4,
            client: {
              id: "openclaw-control-ui",
              version: __CONTROL_UI_VERSION__,
              platform: "web",
              mode: "ui",
            },
            role: "operator",
            auth: { token: options.token },
          })
          .then(
            (hello) => settle(() => resolve({ client, hello })),
            (error: GatewayRequestError) => settle(() => reject(error)),
          );
      });
    });
  }

  request<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(lost("not connected to the gateway"));
    }
    const id = randomId();
    return new Promise<T>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new GatewayRequestError({ code: "TIMEOUT", message: `${method} got no answer in time` }));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (payload: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ type: "req", id, method, ...(params ? { params } : {}) }));
    });
  }

  /** Listens to one server event; returns the function that stops listening. */
  on(event: string, listener: EventListener): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Called once when the socket closes, unless `close()` closed it. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.closedByUs = true;
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000, "signed out");
    }
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== "string") return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === "res") {
      const pending = this.pending.get(frame.id);
      if (!pending) return;
      this.pending.delete(frame.id);
      window.clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.payload);
      else pending.reject(new GatewayRequestError(frame.error));
      return;
    }
    if (frame.type === "event") {
      for (const listener of [...(this.listeners.get(frame.event) ?? [])]) {
        try {
          listener(frame.payload);
        } catch (error) {
          console.error(`listener for ${frame.event} failed`, error);
        }
      }
    }
  }

  private handleClose(reason: string): void {
    for (const [id, pending] of this.pending) {
      window.clearTimeout(pending.timer);
      pending.reject(lost("the connection to the gateway closed"));
      this.pending.delete(id);
    }
    if (this.closedByUs) return;
    for (const listener of [...this.closeListeners]) listener(reason);
  }
}

function lost(message: string): GatewayRequestError {
  return new GatewayRequestError({ code: CONNECTION_LOST, message });
}
