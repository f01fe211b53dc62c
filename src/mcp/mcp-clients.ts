import type { McpConfig, McpServerConfig } from "../config/index.js";
import { OpenClawError, toOpenClawError } from "../errors.js";
import type { ServerConnection, ServerTool } from "./server-connection.js";
import type { LaunchedTransport, ServerLaunch, ServerPlacement } from "./server-launch.js";
import { ServerSlot } from "./server-slot.js";
import { mcpToolName, passesToolFilter, serverPrefixes } from "./tool-names.js";

/** One MCP tool as offered to an agent's thread: plain data, its proxy calls back by name. */
export interface McpToolDescriptor {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  server: string;
  tool: string;
}

/** One server of one agent, as `openclaw status` and `doctor` show it. */
export interface McpServerStatus {
  agentId: string;
  server: string;
  state: "stopped" | "starting" | "running" | "failed";
  tools?: number;
  /** Why it is not running (the last start or crash), or why its last tool call failed. */
  error?: string;
  restarts: number;
}

interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface McpClientsOptions {
  config(): McpConfig;
  /** The server's transport, its secrets read in the gateway (the caller owns confinement). */
  open(server: string, launch: ServerLaunch, placement: ServerPlacement): Promise<LaunchedTransport>;
  /** Where an agent's stdio servers run; undefined for an agent the gateway does not run. */
  placementOf(agentId: string): ServerPlacement | undefined;
  /** A server's definition with its credentials read (throws when a secret has no value). */
  launchOf(server: string, config: McpServerConfig): ServerLaunch;
  logger: Logger;
}

/**
 * The MCP sessions of every agent, on the gateway's thread: one per agent and server, started on
 * the agent's first turn that lists tools, started again (with back-off) after the server exits,
 * stopped after `mcp.sessionIdleTtlMs` unused, when its agent or definition goes, and at shutdown.
 */
export class McpClients {
  private readonly slots = new Map<string, ServerSlot>();
  private closed = false;

  constructor(private readonly options: McpClientsOptions) {}

  /** Whether any server is enabled: without one, `tools` lists nothing and starts nothing. */
  hasEnabledServers(): boolean {
    for (const server of Object.values(this.options.config().servers)) if (server.enabled) return true;
    return false;
  }

  private enabledServers(): [string, McpServerConfig][] {
    return Object.entries(this.options.config().servers).filter(([, server]) => server.enabled);
  }

  /** Every enabled server's tools for this agent; a server that cannot start is left out (see status). */
  async tools(
    agentId: string,
    signal: AbortSignal,
    wanted: (server: { name: string; prefix: string }) => boolean = () => true,
  ): Promise<McpToolDescriptor[]> {
    const prefixes = serverPrefixes(Object.keys(this.options.config().servers));
    // Only servers the agent's policy could use are started for it.
    const servers = this.enabledServers().filter(([name]) =>
      wanted({ name, prefix: prefixes.get(name) ?? name }),
    );
    const listed = await Promise.all(
      servers.map(async ([server, definition]) => {
        const slot = this.slotFor(agentId, server, definition);
        try {
          const tools = await slot.use((connection) => connection.listTools(), signal, {
            recordFailure: true,
          });
          slot.listed(tools.length);
          return tools
            .filter((tool) => passesToolFilter(definition.toolFilter, tool.name))
            .map((tool) => descriptor(prefixes.get(server) ?? server, server, tool));
        } catch {
          // Left out of this turn; the slot keeps why, for status and doctor.
          if (signal.aborted) throw signal.reason;
          return [];
        }
      }),
    );
    return listed.flat();
  }

  /** The server and tool an offered name (`<prefix>__<tool>`) stands for, from the cached lists. */
  async resolve(
    agentId: string,
    name: string,
    signal: AbortSignal,
  ): Promise<{ server: string; tool: string }> {
    const prefixes = serverPrefixes(Object.keys(this.options.config().servers));
    for (const [server, definition] of this.enabledServers()) {
      const prefix = prefixes.get(server) ?? server;
      if (!name.startsWith(`${prefix}__`)) continue;
      const slot = this.slotFor(agentId, server, definition);
      const tools = await slot.use((connection) => connection.listTools(), signal);
      const tool = tools.find((candidate) => mcpToolName(prefix, candidate.name) === name);
      if (tool && passesToolFilter(definition.toolFilter, tool.name)) return { server, tool: tool.name };
    }
    throw new OpenClawError("OC_ERR_TOOL_NOT_FOUND", `no MCP server offers a tool "${name}"`, {
      hint: "the server's tool list may have changed: the next turn lists it again",
    });
  }

  /** Calls `server`'s `tool` for the agent, starting the server again when it had exited. */
  async call(
    agentId: string,
    server: string,
    tool: string,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const definition = this.options.config().servers[server];
    if (!definition?.enabled) {
      throw new OpenClawError(
        "OC_ERR_MCP_SERVER",
        `MCP server "${server}" is not configured (or not enabled)`,
        {
          hint: "see mcp.servers in openclaw.json",
        },
      );
    }
    if (!passesToolFilter(definition.toolFilter, tool))
      throw new OpenClawError("OC_ERR_FORBIDDEN", `tool "${tool}" of MCP server "${server}" is filtered out`);
    const slot = this.slotFor(agentId, server, definition);
    return slot.use((connection) => connection.callTool(tool, input, signal), signal, {
      recordFailure: true,
    });
  }

  private slotFor(agentId: string, server: string, definition: McpServerConfig): ServerSlot {
    if (this.closed) throw new OpenClawError("OC_ERR_MCP_SERVER", "the gateway is stopping");
    const key = `${agentId}\u0000${server}`;
    const fingerprint = JSON.stringify(definition);
    const existing = this.slots.get(key);
    if (existing && existing.fingerprint === fingerprint) return existing;
    // A changed definition is a new server: the old one is stopped, its tools are listed anew.
    existing?.stop("its definition changed");
    const slot = new ServerSlot({
      agentId,
      server,
      fingerprint,
      idleTtlMs: () => this.options.config().sessionIdleTtlMs ?? 0,
      start: (onExit) => this.start(agentId, server, definition, onExit),
      logger: this.options.logger,
    });
    this.slots.set(key, slot);
    return slot;
  }

  private async start(
    agentId: string,
    server: string,
    definition: McpServerConfig,
    onExit: (reason: string) => void,
  ): Promise<ServerConnection> {
    const placement = this.options.placementOf(agentId);
    if (!placement)
      throw new OpenClawError(
        "OC_ERR_MCP_SERVER",
        `agent ${agentId} is not running, so its MCP servers are not`,
      );
    try {
      const launch = this.options.launchOf(server, definition);
      const launched = await this.options.open(server, launch, placement);
      // The SDK is loaded with the first server, not with every gateway start.
      const { ServerConnection } = await import("./server-connection.js");
      return await ServerConnection.connect(launched, {
        server,
        connectionTimeoutMs: definition.connectionTimeoutMs,
        requestTimeoutMs: definition.requestTimeoutMs,
        onExit,
      });
    } catch (error) {
      throw toOpenClawError(error, "OC_ERR_MCP_SERVER");
    }
  }

  /** Stops the servers of agents no longer configured, and of definitions removed or disabled. */
  retire(agentIds: readonly string[]): void {
    const servers = new Map(this.enabledServers());
    const agents = new Set(agentIds);
    for (const [key, slot] of this.slots) {
      const definition = servers.get(slot.server);
      const gone = !agents.has(slot.agentId)
        ? "its agent is gone"
        : !definition
          ? "it is no longer configured"
          : JSON.stringify(definition) !== slot.fingerprint
            ? "its definition changed"
            : undefined;
      if (!gone) continue;
      slot.stop(gone);
      this.slots.delete(key);
    }
  }

  /**
   * Stops the sessions of servers given `secret` (in env or headers): they hold its old value,
   * and the next use starts them with the new one.
   */
  secretRotated(secret: string): void {
    for (const [key, slot] of this.slots) {
      const definition = this.options.config().servers[slot.server];
      const values = definition
        ? Object.values(("url" in definition ? definition.headers : definition.env) ?? {})
        : [];
      if (!values.some((value) => typeof value === "object" && value.$secret === secret)) continue;
      void slot.stop(`secret ${secret} rotated`);
      this.slots.delete(key);
    }
  }

  status(): McpServerStatus[] {
    return [...this.slots.values()].map((slot) => slot.status());
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(slots.map((slot) => slot.stop("the gateway stops")));
  }
}

function descriptor(prefix: string, server: string, tool: ServerTool): McpToolDescriptor {
  return {
    name: mcpToolName(prefix, tool.name),
    description: tool.description
      ? `${tool.description} (MCP server ${server})`
      : `Tool ${tool.name} of MCP server ${server}.`,
    parameters: tool.inputSchema,
    server,
    tool: tool.name,
  };
}
