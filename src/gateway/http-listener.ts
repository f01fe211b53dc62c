import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { HttpServer } from "./http-server.js";
import type { GatewayPart } from "./lifecycle/part-group.js";

/** How long WebSocket peers get to answer the close frame when the drain time is already spent. */
const SOCKET_CLOSE_GRACE_MS = 500;
/** A close handshake takes one round trip; a peer silent this long is not going to answer. */
const SOCKET_CLOSE_MAX_MS = 2000;

/**
 * The HTTP + WebSocket server as a part: built and bound at start, closed at stop within the
 * drain time whatever its clients do (idle keep-alives, half-sent requests, WebSocket peers that
 * never answer the close frame).
 */
export class HttpListener implements GatewayPart {
  readonly name = "http";
  private http: HttpServer | undefined;
  private bound: { host: string; port: number } | undefined;
  private reason = "shutdown";
  private deadline = 0;
  /** A build begun early by prepare(), not yet listening. */
  private prepared: Promise<HttpServer> | undefined;

  constructor(
    private readonly options: {
      build(): Promise<HttpServer>;
      host: string;
      port: number;
      logger: Logger;
    },
  ) {}

  /**
   * Builds the server (routes, schemas: tens of ms of this thread) ahead of start, while the
   * gateway waits on something else, such as the agents' threads booting. A build that failed
   * fails start, in its place in the order.
   */
  prepare(): void {
    if (this.prepared || this.http) return;
    this.prepared = this.options.build();
    this.prepared.catch(() => undefined);
  }

  /** Releases a prepared server that will not start (the gateway failed to start before it). */
  async discardPrepared(): Promise<void> {
    const prepared = this.prepared;
    this.prepared = undefined;
    const http = await prepared?.catch(() => undefined);
    await http?.server.close().catch(() => undefined);
  }

  async start(): Promise<void> {
    const prepared = this.prepared;
    this.prepared = undefined;
    const http = await (prepared ?? this.options.build());
    const { host, port: requestedPort } = this.options;
    try {
      await http.server.listen({ host, port: requestedPort });
    } catch (error) {
      await http.server.close().catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") {
        throw new OpenClawError(
          "OC_ERR_GATEWAY_START",
          `port ${requestedPort} on ${host} is already in use`,
          {
            hint: "another gateway may be running (`openclaw gateway status`); or set gateway.port",
          },
        );
      }
      throw new OpenClawError(
        "OC_ERR_GATEWAY_START",
        `cannot listen on ${host}:${requestedPort}: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    const address = http.server.server.address();
    this.bound = { host, port: typeof address === "object" && address ? address.port : requestedPort };
    this.http = http;
  }

  /** Where it listens, once it does (`--port 0` picks the port). */
  address(): { host: string; port: number } | undefined {
    return this.bound;
  }

  connectionCount(): number {
    return this.http?.connections.size ?? 0;
  }

  /** Why and by when the next stop must be done (the drain deadline, epoch ms). */
  prepareStop(reason: string, deadline: number): void {
    this.reason = reason;
    this.deadline = deadline;
  }

  async stop(): Promise<void> {
    const http = this.http;
    if (!http) return;
    this.http = undefined;
    for (const connection of http.connections) connection.shutdown(this.reason);
    // WebSocket peers get a moment to answer the close frame (within the drain time, but at
    // least SOCKET_CLOSE_GRACE_MS); after that every socket still open is destroyed, so a
    // client that never hangs up (or an upgrade stuck half-way) cannot keep the process alive.
    const closing = http.server.close();
    const wait = Math.min(Math.max(this.deadline - Date.now(), SOCKET_CLOSE_GRACE_MS), SOCKET_CLOSE_MAX_MS);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
    clearTimeout(timer);
    const destroyed = http.destroySockets();
    if (destroyed > 0) this.options.logger.info({ sockets: destroyed }, "open sockets closed at shutdown");
    await closing;
  }
}
