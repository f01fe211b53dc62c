import { randomUUID } from "node:crypto";
import { OpenClawError } from "../../errors.js";
import { type SessionSummary, type TranscriptEntry, validateSessionKey } from "../../sessions/index.js";
import type { AskReply, AskRequest, McpServeBackend, ServedAgent } from "./serve-backend.js";
import { assertNotReserved } from "./serve-session-key.js";

/** What the in-gateway backend needs of the gateway's parts (RunService, TranscriptStore, the supervisor fit). */
export interface GatewayServeParts {
  agents: {
    list(): readonly { id: string; name?: string; model?: string; state?: string }[];
    has(agentId: string): boolean;
  };
  runs: {
    run(request: {
      agentId: string;
      sessionKey: string;
      runId: string;
      input: { kind: "message"; text: string };
      origin: { transport: "http"; route: string; requestId?: string };
      signal?: AbortSignal;
    }): Promise<{ runId: string; outcome: { text: string } }>;
  };
  transcripts: {
    list(): Promise<SessionSummary[]>;
    read(sessionKey: string): Promise<TranscriptEntry[]>;
  };
  /** The last line of defence, as on every other answer: no credential value leaves in one. */
  redactor: { redactValue<T>(value: T): T };
}

/**
 * The backend in the gateway process: what `/mcp` and `POST /__openclaw__/agents/:id/ask` (the
 * stdio bridge's way in) use. Everything a client sent is checked here again, whoever resolved
 * it before: the key is one the gateway accepts, in no reserved namespace, of the agent asked.
 */
export function gatewayServeBackend(parts: GatewayServeParts, route = "/mcp"): McpServeBackend {
  return {
    listAgents: async () =>
      parts.agents.list().map(
        (agent): ServedAgent => ({
          id: agent.id,
          ...(agent.name ? { name: agent.name } : {}),
          ...(agent.model ? { model: agent.model } : {}),
          ...(agent.state ? { state: agent.state } : {}),
        }),
      ),
    ask: (request) => askOnGateway(parts, request, route),
    listSessions: async ({ agentId }) => {
      const sessions = await parts.transcripts.list();
      return parts.redactor.redactValue(
        agentId ? sessions.filter((session) => session.agentId === agentId) : sessions,
      );
    },
    history: async (sessionKey) => {
      const entries = await parts.transcripts.read(validateSessionKey(sessionKey));
      return parts.redactor.redactValue(
        entries.map((entry) => ({
          ts: entry.ts,
          role: entry.role,
          content: entry.content,
          runId: entry.runId,
          ...(entry.toolName ? { toolName: entry.toolName } : {}),
          ...(entry.isError ? { isError: true } : {}),
        })),
      );
    },
  };
}

export async function askOnGateway(
  parts: GatewayServeParts,
  request: AskRequest,
  route: string,
): Promise<AskReply> {
  const { agentId } = request;
  if (!parts.agents.has(agentId)) {
    throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `agent "${agentId}" does not exist`, {
      hint: "`openclaw agents list` shows the configured agents",
    });
  }
  if (typeof request.message !== "string" || request.message.trim() === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "message must be a non-empty string");
  }
  const sessionKey = validateSessionKey(request.sessionKey);
  if (!sessionKey.startsWith(`agent:${agentId}:`)) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `sessionKey ${sessionKey} is not a session of agent "${agentId}"`,
      {
        hint: `use a key of the form agent:${agentId}:<key>`,
      },
    );
  }
  assertNotReserved(sessionKey);
  const result = await parts.runs.run({
    agentId,
    sessionKey,
    runId: randomUUID(),
    input: { kind: "message", text: request.message },
    origin: { transport: "http", route },
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return parts.redactor.redactValue({ agentId, sessionKey, runId: result.runId, text: result.outcome.text });
}
