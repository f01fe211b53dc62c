import type { McpServeBackend, ServedAgent, ServedEntry, ServedSession } from "./serve-backend.js";

/** A call to the running gateway's operator HTTP API (the CLI's callGateway fits). */
export type GatewayCall = (
  path: string,
  method: "GET" | "POST",
  body?: unknown,
  options?: { timeoutMs?: number },
) => Promise<unknown>;

/** A turn can take as long as the gateway lets it; the gateway's turn timeout ends it first. */
const ASK_TIMEOUT_MS = 600_000;

/**
 * The backend of `openclaw mcp serve` over stdio: the running gateway's HTTP API with the
 * operator credential the CLI uses, so the bridge process holds no agent, key or transcript of
 * its own. The same routes `openclaw agents list` and `openclaw sessions list | show` read.
 */
export function remoteServeBackend(call: GatewayCall): McpServeBackend {
  return {
    listAgents: async () => {
      const answer = (await call("/__openclaw__/agents", "GET")) as { agents: ServedAgent[] };
      return answer.agents.map((agent) => ({
        id: agent.id,
        ...(agent.name ? { name: agent.name } : {}),
        ...(agent.model ? { model: agent.model } : {}),
        ...(agent.state ? { state: agent.state } : {}),
      }));
    },
    ask: async (request) =>
      (await call(
        `/__openclaw__/agents/${encodeURIComponent(request.agentId)}/ask`,
        "POST",
        { message: request.message, sessionKey: request.sessionKey },
        { timeoutMs: ASK_TIMEOUT_MS },
      )) as Awaited<ReturnType<McpServeBackend["ask"]>>,
    listSessions: async ({ agentId }) => {
      const query = agentId ? `?agent=${encodeURIComponent(agentId)}` : "";
      return ((await call(`/__openclaw__/sessions${query}`, "GET")) as { sessions: ServedSession[] })
        .sessions;
    },
    history: async (sessionKey) => {
      try {
        const { entries } = (await call(
          `/__openclaw__/sessions/${encodeURIComponent(sessionKey)}`,
          "GET",
        )) as {
          entries: ServedEntry[];
        };
        return entries.map((entry) => ({
          ts: entry.ts,
          role: entry.role,
          content: entry.content,
          ...(entry.runId ? { runId: entry.runId } : {}),
          ...(entry.toolName ? { toolName: entry.toolName } : {}),
          ...(entry.isError ? { isError: true } : {}),
        }));
      } catch (error) {
        // The route answers 404 for a session without a transcript; the tool says "no messages".
        if ((error as { code?: string }).code === "OC_ERR_NOT_FOUND") return [];
        throw error;
      }
    },
  };
}
