import { abortable } from "../abortable.js";
import { OpenClawError } from "../errors.js";
import type { McpServerStatus } from "./mcp-clients.js";
import type { ServerConnection } from "./server-connection.js";

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * How long after its `failures`-th consecutive failure a server is started again: at once after
 * a first crash (the next use restarts it), then doubling from 1 s up to 30 s, so a server that
 * dies on every start costs one attempt per window rather than one per turn.
 */
export function restartDelayMs(failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
}

interface SlotOptions {
  agentId: string;
  server: string;
  fingerprint: string;
  idleTtlMs(): number;
  start(onExit: (reason: string) => void): Promise<ServerConnection>;
  logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
}

/** One agent's session with one server: started on use, restarted after a crash, stopped when idle. */
export class ServerSlot {
  private connection: ServerConnection | undefined;
  private starting: Promise<ServerConnection> | undefined;
  private state: McpServerStatus["state"] = "stopped";
  private failures = 0;
  private retryAt = 0;
  private lastError: OpenClawError | undefined;
  private restarts = 0;
  private started = false;
  private toolCount: number | undefined;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SlotOptions) {}

  get agentId(): string {
    return this.options.agentId;
  }

  get server(): string {
    return this.options.server;
  }

  get fingerprint(): string {
    return this.options.fingerprint;
  }

  /** Runs `work` on a running connection (starting the server if need be). */
  async use<T>(
    work: (connection: ServerConnection) => Promise<T>,
    signal: AbortSignal,
    options: { recordFailure?: boolean } = {},
  ): Promise<T> {
    this.inFlight += 1;
    clearTimeout(this.idleTimer);
    try {
      const connection = await abortable(this.ensure(), signal);
      const result = await work(connection);
      this.failures = 0;
      if (this.state === "running") this.lastError = undefined;
      return result;
    } catch (error) {
      if (options.recordFailure && error instanceof OpenClawError && !signal.aborted) this.lastError = error;
      throw error;
    } finally {
      this.inFlight -= 1;
      this.scheduleIdleStop();
    }
  }

  listed(count: number): void {
    this.toolCount = count;
  }

  private ensure(): Promise<ServerConnection> {
    if (this.stopped)
      return Promise.reject(new OpenClawError("OC_ERR_MCP_SERVER", "the MCP session is stopped"));
    if (this.connection?.running) return Promise.resolve(this.connection);
    if (this.starting) return this.starting;
    if (this.state === "failed" && Date.now() < this.retryAt && this.lastError) {
      const waitMs = this.retryAt - Date.now();
      return Promise.reject(
        new OpenClawError("OC_ERR_MCP_SERVER", `${this.lastError.message} (next start in ${waitMs} ms)`, {
          hint: this.lastError.hint ?? `check mcp.servers.${this.server}`,
        }),
      );
    }
    if (this.started) this.restarts += 1;
    this.started = true;
    this.state = "starting";
    const starting = this.options.start((reason) => this.exited(starting, reason));
    this.starting = starting;
    starting.then(
      (connection) => {
        this.starting = undefined;
        if (this.stopped) {
          void connection.close();
          return;
        }
        this.connection = connection;
        this.state = "running";
        this.lastError = undefined;
        this.options.logger.info({ agent: this.agentId, server: this.server }, "MCP server started");
      },
      (error: unknown) => {
        this.starting = undefined;
        this.failed(
          error instanceof OpenClawError ? error : new OpenClawError("OC_ERR_MCP_SERVER", String(error)),
        );
      },
    );
    return starting;
  }

  private exited(which: Promise<ServerConnection>, reason: string): void {
    // An exit during the start is the start's failure, reported by it.
    which.then(
      (connection) => {
        if (connection !== this.connection) return;
        this.connection = undefined;
        this.failed(
          new OpenClawError("OC_ERR_MCP_SERVER", `MCP server "${this.server}": ${reason}`, {
            hint: "it is started again on the next use",
          }),
        );
      },
      () => undefined,
    );
  }

  private failed(error: OpenClawError): void {
    if (this.stopped) return;
    this.failures += 1;
    this.retryAt = Date.now() + restartDelayMs(this.failures);
    this.state = "failed";
    this.lastError = error;
    this.options.logger.warn(
      { agent: this.agentId, server: this.server, error: error.message, failures: this.failures },
      "MCP server is not running",
    );
  }

  private scheduleIdleStop(): void {
    const ttl = this.options.idleTtlMs();
    if (ttl <= 0 || this.inFlight > 0 || this.stopped) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.inFlight > 0 || !this.connection) return;
      const connection = this.connection;
      this.connection = undefined;
      this.state = "stopped";
      this.options.logger.info(
        { agent: this.agentId, server: this.server, idleMs: ttl },
        "MCP server stopped: idle",
      );
      void connection.close();
    }, ttl);
    this.idleTimer.unref();
  }

  status(): McpServerStatus {
    return {
      agentId: this.agentId,
      server: this.server,
      state: this.state,
      ...(this.toolCount !== undefined ? { tools: this.toolCount } : {}),
      ...(this.lastError ? { error: this.lastError.message } : {}),
      restarts: this.restarts,
    };
  }

  async stop(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.idleTimer);
    this.state = "stopped";
    const connection = this.connection ?? (await this.starting?.catch(() => undefined));
    this.connection = undefined;
    if (connection) {
      this.options.logger.info({ agent: this.agentId, server: this.server, reason }, "MCP server stopped");
      await connection.close();
    }
  }
}
