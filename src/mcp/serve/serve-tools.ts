import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { toOpenClawError } from "../../errors.js";
import { VERSION } from "../../version.js";
import type { McpServeBackend, ServedAgent, ServedEntry } from "./serve-backend.js";
import { resolveAskSessionKey } from "./serve-session-key.js";

/** OpenClaw's bridge caps: `conversations_list` at 500, `messages_read` at 20 by default, 200 at most. */
const MAX_SESSIONS = 500;
const DEFAULT_SESSIONS = 50;
const DEFAULT_HISTORY = 20;
const MAX_HISTORY = 200;

export const ASK_TOOL_PREFIX = "ask_";

export interface ServeServerOptions {
  /** Names this MCP connection: the default session of its talks with each agent. */
  clientId: string;
}

/** One MCP server (one per MCP session): the tools over a backend, and their agent list kept current. */
export interface ServeServer {
  readonly server: McpServer;
  /**
   * Re-reads the agents and adds or removes `ask_<agent>` tools to match; a connected client
   * is told with `notifications/tools/list_changed` (the SDK sends it when the list changes).
   */
  syncAgents(): Promise<void>;
}

function errorResult(error: unknown): CallToolResult {
  const failure = toOpenClawError(error);
  const hint = failure.hint ? ` (${failure.hint})` : "";
  return { isError: true, content: [{ type: "text", text: `${failure.code}: ${failure.message}${hint}` }] };
}

function describeEntry(entry: ServedEntry): string {
  const who = entry.role === "tool" ? `tool ${entry.toolName ?? ""}`.trim() : entry.role;
  return `[${new Date(entry.ts).toISOString()}] ${who}: ${entry.content}`;
}

function askDescription(agent: ServedAgent): string {
  const name = agent.name && agent.name !== agent.id ? ` (${agent.name})` : "";
  const model = agent.model ? `, model ${agent.model}` : "";
  return (
    `Send a message to the OpenClaw agent "${agent.id}"${name}${model} and get its reply. ` +
    "Without sessionKey the conversation continues in this MCP connection's own session with the agent; " +
    "pass the sessionKey a reply returned (or any key) to continue another one."
  );
}

const askInput = {
  message: z.string().min(1).describe("what to say to the agent"),
  sessionKey: z
    .string()
    .max(512)
    .optional()
    .describe("the session: agent:<id>:<key>, or a bare key scoped to this agent"),
};
const askOutput = {
  reply: z.string(),
  agentId: z.string(),
  sessionKey: z.string(),
  runId: z.string(),
};

/**
 * The MCP server `mcp serve` exposes, the same over stdio and streamable HTTP: `ask_<agent>` for
 * each agent, `sessions_list` and `session_history` over the gateway's transcripts (what
 * `openclaw sessions list | show` read). A failure is a tool result with `isError` and the
 * gateway's error code, not a protocol error: the calling model can read it and react.
 */
export function createServeServer(backend: McpServeBackend, options: ServeServerOptions): ServeServer {
  const server = new McpServer({ name: "openclaw", version: VERSION });
  const askTools = new Map<string, RegisteredTool>();

  const registerAsk = (agent: ServedAgent) =>
    server.registerTool(
      `${ASK_TOOL_PREFIX}${agent.id}`,
      {
        title: `Ask ${agent.name ?? agent.id}`,
        description: askDescription(agent),
        inputSchema: askInput,
        outputSchema: askOutput,
      },
      async ({ message, sessionKey }, extra) => {
        try {
          const key = resolveAskSessionKey(agent.id, options.clientId, sessionKey);
          const reply = await backend.ask({
            agentId: agent.id,
            sessionKey: key,
            message,
            signal: extra.signal,
          });
          return {
            content: [
              { type: "text", text: reply.text },
              { type: "text", text: `(session ${reply.sessionKey}, run ${reply.runId})` },
            ],
            structuredContent: {
              reply: reply.text,
              agentId: reply.agentId,
              sessionKey: reply.sessionKey,
              runId: reply.runId,
            },
          };
        } catch (error) {
          return errorResult(error);
        }
      },
    );

  server.registerTool(
    "sessions_list",
    {
      title: "List sessions",
      description:
        "The gateway's sessions with a transcript, most recently updated first: key, agent, message count, last message.",
      inputSchema: {
        agentId: z.string().optional().describe("only this agent's sessions"),
        limit: z.number().int().min(1).max(MAX_SESSIONS).optional().describe(`default ${DEFAULT_SESSIONS}`),
      },
    },
    async ({ agentId, limit }) => {
      try {
        const sessions = (await backend.listSessions(agentId ? { agentId } : {})).slice(
          0,
          limit ?? DEFAULT_SESSIONS,
        );
        const lines = sessions.map(
          (session) =>
            `${session.key}  agent=${session.agentId ?? "-"}  messages=${session.messageCount}  updated=${new Date(session.updatedAt).toISOString()}`,
        );
        return {
          content: [{ type: "text", text: lines.length ? lines.join("\n") : "no sessions" }],
          structuredContent: { sessions },
        };
      } catch (error) {
        return errorResult(error);
      }
    },
  );

  server.registerTool(
    "session_history",
    {
      title: "Read a session",
      description: "The latest messages of one session's transcript, oldest first.",
      inputSchema: {
        sessionKey: z.string().min(1).max(512).describe("the session's key, as sessions_list shows it"),
        limit: z.number().int().min(1).max(MAX_HISTORY).optional().describe(`default ${DEFAULT_HISTORY}`),
      },
    },
    async ({ sessionKey, limit }) => {
      try {
        const entries = (await backend.history(sessionKey)).slice(-(limit ?? DEFAULT_HISTORY));
        return {
          content: [
            { type: "text", text: entries.length ? entries.map(describeEntry).join("\n") : "no messages" },
          ],
          structuredContent: { sessionKey, entries },
        };
      } catch (error) {
        return errorResult(error);
      }
    },
  );

  const apply = async () => {
    const agents = await backend.listAgents();
    const wanted = new Map(agents.map((agent) => [agent.id, agent]));
    for (const [id, tool] of askTools) {
      if (!wanted.has(id)) {
        tool.remove();
        askTools.delete(id);
      }
    }
    for (const agent of agents) {
      if (!askTools.has(agent.id)) askTools.set(agent.id, registerAsk(agent));
    }
  };
  // One sync at a time: two interleaved ones would register the same tool twice (the SDK throws).
  let syncing: Promise<void> = Promise.resolve();
  const syncAgents = () => {
    const next = syncing.then(apply);
    syncing = next.catch(() => undefined);
    return next;
  };
  return { server, syncAgents };
}
