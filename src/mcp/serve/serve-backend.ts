/**
 * What `mcp serve` needs of a gateway, whichever side of the wire it is on: the gateway's own
 * parts (streamable HTTP at `/mcp`, in the gateway process) or the running gateway's HTTP API
 * (`openclaw mcp serve` over stdio, a process an MCP client spawns, which holds no agents). The
 * MCP tools are written once against this interface.
 */
export interface McpServeBackend {
  /** The agents an MCP client may ask: each becomes an `ask_<agentId>` tool. */
  listAgents(): Promise<ServedAgent[]>;
  /** Runs one turn on the agent in the session and waits for its reply. */
  ask(request: AskRequest): Promise<AskReply>;
  /** The gateway's sessions with a transcript, most recently updated first. */
  listSessions(options: { agentId?: string }): Promise<ServedSession[]>;
  /** One session's transcript, oldest first; empty when the session has none. */
  history(sessionKey: string): Promise<ServedEntry[]>;
}

export interface ServedAgent {
  id: string;
  name?: string;
  model?: string;
  /** "ready", "degraded", ... as `openclaw agents list` says. */
  state?: string;
}

export interface AskRequest {
  agentId: string;
  /** Always a full `agent:<id>:…` key here: the tools resolve the caller's key first. */
  sessionKey: string;
  message: string;
  /** Aborts the turn (the MCP client cancelled the call, or went away). */
  signal?: AbortSignal;
}

export interface AskReply {
  agentId: string;
  sessionKey: string;
  runId: string;
  text: string;
}

export interface ServedSession {
  key: string;
  agentId?: string;
  messageCount: number;
  updatedAt: number;
  lastMessagePreview?: string;
}

export interface ServedEntry {
  ts: number;
  role: string;
  content: string;
  runId?: string;
  toolName?: string;
  isError?: boolean;
}
