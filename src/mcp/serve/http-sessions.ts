import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpServeBackend } from "./serve-backend.js";
import { createServeServer, type ServeServer } from "./serve-tools.js";

/** Enough for a desk of MCP clients; each holds an McpServer and, maybe, an SSE stream. */
export const DEFAULT_MAX_MCP_SESSIONS = 32;
/** A session nobody has used for this long (and with no request or stream open) is closed. */
export const DEFAULT_MCP_IDLE_TIMEOUT_MS = 30 * 60_000;

export interface McpHttpSessionsOptions {
  backend: McpServeBackend;
  maxSessions?: number;
  idleTimeoutMs?: number;
  now?: () => number;
  /** Told when a session opens, closes or expires (the gateway logs it). */
  onEvent?: (event: "opened" | "closed" | "expired" | "refused", sessionId?: string) => void;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  serve: ServeServer;
  lastActiveAt: number;
  /** Requests (and SSE streams) still open: a session is never idle while one is. */
  open: number;
  /** Who opened it, when the gateway tells users apart (a trusted proxy's user). */
  owner: string | undefined;
}

/** What the route sends back, and what it calls once the exchange (a stream, maybe) has ended. */
export interface McpExchange {
  response: Response;
  release(): void;
}

const SESSION_HEADER = "mcp-session-id";

function jsonRpcError(status: number, message: string, data?: Record<string, unknown>): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message, ...(data ? { data } : {}) }, id: null }),
    { status, headers: { "content-type": "application/json" } },
  );
}

/**
 * The stateful sessions of MCP's streamable HTTP transport, as the SDK keeps them: an
 * `initialize` without `Mcp-Session-Id` opens one (its own McpServer and transport), every later
 * request names it. Bounded, so that a client that initializes in a loop cannot grow the
 * gateway without end, and swept, so that abandoned sessions (a client that never sends DELETE)
 * are closed after `idleTimeoutMs`. Auth is not here: the gateway's boundary admitted the request.
 */
export class McpHttpSessions {
  private readonly sessions = new Map<string, Session>();
  private opening = 0;
  private readonly maxSessions: number;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: McpHttpSessionsOptions) {
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_MCP_SESSIONS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_MCP_IDLE_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(
      () => void this.sweep(),
      Math.min(60_000, Math.max(1000, this.idleTimeoutMs / 4)),
    );
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Handles one request to `/mcp` (POST, GET or DELETE); `body` is the parsed JSON of a POST.
   * `owner` is the user the gateway admitted, where it tells users apart: a session answers
   * only the user who opened it, as if it did not exist for any other.
   */
  async handle(request: Request, body?: unknown, owner?: string): Promise<McpExchange> {
    const noop = () => undefined;
    if (this.closed) return { response: jsonRpcError(503, "the gateway is shutting down"), release: noop };
    const sessionId = request.headers.get(SESSION_HEADER) ?? undefined;
    if (sessionId !== undefined) {
      const session = this.sessions.get(sessionId);
      if (!session || session.owner !== owner) {
        // The spec's answer: the client starts a new session with a fresh initialize.
        return { response: jsonRpcError(404, "Session not found"), release: noop };
      }
      return this.exchange(session, request, body);
    }
    if (request.method !== "POST" || !isInitializeRequest(body)) {
      return {
        response: jsonRpcError(400, "Bad Request: No valid session ID provided"),
        release: noop,
      };
    }
    return this.open(request, body, owner);
  }

  /** Closes sessions idle for longer than the timeout; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.idleTimeoutMs;
    const idle = [...this.sessions].filter(
      ([, session]) => session.open === 0 && session.lastActiveAt <= cutoff,
    );
    for (const [id, session] of idle) {
      this.sessions.delete(id);
      this.options.onEvent?.("expired", id);
      await this.closeSession(session);
    }
    return idle.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => this.closeSession(session)));
  }

  private async open(request: Request, body: unknown, owner: string | undefined): Promise<McpExchange> {
    if (this.sessions.size + this.opening >= this.maxSessions) {
      this.options.onEvent?.("refused");
      return {
        response: jsonRpcError(429, `too many MCP sessions are open (${this.maxSessions})`, {
          code: "OC_ERR_RATE_LIMITED",
          hint: "close sessions you no longer use (DELETE /mcp with their Mcp-Session-Id), or wait for idle ones to expire",
        }),
        release: () => undefined,
      };
    }
    this.opening += 1;
    let session: Session | undefined;
    try {
      const serve = createServeServer(this.options.backend, { clientId: randomUUID() });
      await serve.syncAgents();
      const transport: WebStandardStreamableHTTPServerTransport =
        new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            if (session) this.sessions.set(id, session);
            this.options.onEvent?.("opened", id);
          },
          onsessionclosed: (id) => {
            this.sessions.delete(id);
            this.options.onEvent?.("closed", id);
          },
        });
      session = { transport, serve, lastActiveAt: this.now(), open: 0, owner };
      await serve.server.connect(transport);
      const exchange = await this.exchange(session, request, body);
      // An initialize the transport refused opened nothing: nothing may be left behind.
      if (transport.sessionId === undefined || !this.sessions.has(transport.sessionId)) {
        await this.closeSession(session);
      }
      return exchange;
    } finally {
      this.opening -= 1;
    }
  }

  private async exchange(session: Session, request: Request, body: unknown): Promise<McpExchange> {
    session.open += 1;
    session.lastActiveAt = this.now();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      session.open -= 1;
      session.lastActiveAt = this.now();
    };
    try {
      // Agents added or removed by a config reload show up in a live session too.
      await session.serve.syncAgents().catch(() => undefined);
      const response = await session.transport.handleRequest(
        request,
        body === undefined ? {} : { parsedBody: body },
      );
      return { response, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async closeSession(session: Session): Promise<void> {
    await session.serve.server.close().catch(() => undefined);
    await session.transport.close().catch(() => undefined);
  }
}
