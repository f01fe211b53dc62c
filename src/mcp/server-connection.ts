import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { OpenClawError } from "../errors.js";
import { VERSION } from "../version.js";
import type { LaunchedTransport } from "./server-launch.js";

/** One tool as the server lists it. */
export interface ServerTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ConnectionOptions {
  server: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The server went away (exited, closed the stream) while it was meant to be running. */
  onExit(reason: string): void;
}

/** Bounds one tools/list page walk: a server that keeps answering with a cursor is not followed forever. */
const MAX_LIST_PAGES = 50;

/**
 * One live MCP session with one server: the SDK's client over a started transport, its tool list
 * cached until the server says it changed (`notifications/tools/list_changed`).
 */
export class ServerConnection {
  private readonly client = new Client({ name: "openclaw-gateway", version: VERSION }, { capabilities: {} });
  private tools: Promise<ServerTool[]> | undefined;
  private closing = false;
  private exited: string | undefined;

  private constructor(
    private readonly launched: LaunchedTransport,
    private readonly options: ConnectionOptions,
  ) {}

  /** Starts the server and runs `initialize`, within `connectionTimeoutMs`. */
  static async connect(launched: LaunchedTransport, options: ConnectionOptions): Promise<ServerConnection> {
    const connection = new ServerConnection(launched, options);
    const { client } = connection;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      connection.tools = undefined;
    });
    client.onclose = () => connection.gone();
    try {
      await client.connect(launched.transport, { timeout: options.connectionTimeoutMs });
    } catch (error) {
      await connection.close();
      throw connection.failure("did not start", error, options.connectionTimeoutMs);
    }
    return connection;
  }

  get running(): boolean {
    return this.exited === undefined && !this.closing;
  }

  private gone(): void {
    if (this.closing || this.exited !== undefined) return;
    const said = this.launched.stderrTail();
    this.exited = said ? `the server exited: ${lastLine(said)}` : "the server exited";
    void this.launched.release();
    this.options.onExit(this.exited);
  }

  /** The server's tools: cached, listed again after `tools/list_changed`. */
  listTools(): Promise<ServerTool[]> {
    if (!this.tools) {
      const listing = this.fetchTools();
      this.tools = listing;
      listing.catch(() => {
        if (this.tools === listing) this.tools = undefined;
      });
    }
    return this.tools;
  }

  private async fetchTools(): Promise<ServerTool[]> {
    const tools: ServerTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const answer = await this.client
        .listTools(cursor ? { cursor } : {}, { timeout: this.options.requestTimeoutMs })
        .catch((error: unknown) => {
          throw this.failure("could not list its tools", error, this.options.requestTimeoutMs);
        });
      for (const tool of answer.tools) {
        tools.push({
          name: tool.name,
          description: tool.description ?? tool.title ?? "",
          inputSchema: tool.inputSchema as Record<string, unknown>,
        });
      }
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  /** Calls one tool; a call that outlasts `requestTimeoutMs` is cancelled and fails. */
  async callTool(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    if (this.exited)
      throw new OpenClawError("OC_ERR_MCP_SERVER", `MCP server "${this.options.server}": ${this.exited}`);
    try {
      return await this.client.callTool({ name, arguments: input }, undefined, {
        timeout: this.options.requestTimeoutMs,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw this.failure(`failed in tool "${name}"`, error, this.options.requestTimeoutMs);
    }
  }

  /** The typed error of a failed request: a timeout, the server gone mid-call, or its own refusal. */
  private failure(what: string, error: unknown, timeoutMs: number): OpenClawError {
    const server = `MCP server "${this.options.server}"`;
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return new OpenClawError(
        "OC_ERR_MCP_SERVER",
        `${server} did not answer within ${timeoutMs} ms (${what})`,
        {
          hint: `raise mcp.servers.${this.options.server}.${what === "did not start" ? "connectionTimeoutMs" : "requestTimeoutMs"}, or check the server`,
        },
      );
    }
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      const said = this.launched.stderrTail();
      return new OpenClawError(
        "OC_ERR_MCP_SERVER",
        `${server} exited (${what})${said ? `: ${lastLine(said)}` : ""}`,
        { hint: "it is started again on the next use" },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const said = what === "did not start" ? this.launched.stderrTail() : "";
    return new OpenClawError(
      "OC_ERR_MCP_SERVER",
      `${server} ${what}: ${message}${said ? ` (${lastLine(said)})` : ""}`,
      {
        hint: `check mcp.servers.${this.options.server} (command, url, credentials)`,
      },
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.client.close().catch(() => undefined);
    await this.launched.release().catch(() => undefined);
  }
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return (lines.at(-1) ?? "").slice(0, 500);
}
