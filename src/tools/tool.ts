import type { ToolDescriptor } from "../models/types.js";
import type { HostAccess } from "./host-access.js";
import type { WorkspaceFiles } from "./workspace/workspace-files.js";
import type { WorkspaceAccess } from "./workspace/workspace-types.js";

export interface SubagentRunResult {
  runId: string;
  agentId: string;
  /** `done` with the subagent's answer, or `started` for a run that was not waited for. */
  status: "done" | "started";
  text?: string;
}

/**
 * Delegation to other configured agents, offered to tools by the agent's host (main thread or
 * worker). Depth, fan-out and the allowed targets are enforced by the host, not by the tool.
 */
export interface SubagentAccess {
  /** Agents this agent may delegate to. */
  targets(): string[];
  /** Starts a turn of `agentId` on `task`; with `wait`, resolves with its answer. */
  spawn(request: { agentId: string; task: string; wait: boolean }): Promise<SubagentRunResult>;
  /** Waits for a run started earlier by this turn. */
  wait(runId: string): Promise<SubagentRunResult>;
}

export interface ToolContext {
  agentId: string;
  sessionKey: string;
  signal: AbortSignal;
  /** Present when this agent may delegate to subagents. */
  subagents?: SubagentAccess;
  /** The agent's workspace (files, and where `exec` runs: the host or its sandbox). */
  workspace?: WorkspaceAccess;
  /**
   * The workspace's files, confined like the built-in file tools (relative paths, nothing outside
   * the workspace or hidden from the agent). Given to plugin tools whenever there is a workspace.
   */
  files?: WorkspaceFiles;
  /** The gateway's services (`host.call(service, operation, input)`): sandbox, memory, canvas, ... */
  host?: HostAccess;
}

/**
 * A tool an agent can call. Tools validate their own input: the model's arguments are
 * untrusted JSON, whatever the JSON Schema in `parameters` promises.
 */
export interface Tool extends ToolDescriptor {
  /**
   * The host service this tool calls (see HostAccess). An agent is offered a built-in tool only
   * when the gateway provides its service: no memory tools on a gateway without memory.
   */
  hostService?: string;
  /** Offered only when the agent's `tools` allow-list names it, never by default. */
  optIn?: boolean;
  /** The MCP server this tool proxies (mcp.servers): `bundle-mcp` in a policy selects it. */
  mcpServer?: string;
  execute(input: unknown, context: ToolContext): Promise<unknown>;
}

/** A tool failure that is reported to the model as a tool error, not as a crashed turn. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolInputError";
  }
}

export function asObject(input: unknown, toolName: string): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ToolInputError(`${toolName} expects a JSON object as input`);
  }
  return input as Record<string, unknown>;
}
