import { askOnGateway, type GatewayServeParts, gatewayServeBackend } from "../mcp/serve/gateway-backend.js";
import type { McpHttpSessions } from "../mcp/serve/index.js";
import type { Gateway } from "./gateway.js";
import type { McpRouteDeps } from "./routes/mcp-routes.js";

/**
 * The gateway as an MCP server (`/mcp`): every configured agent is offered as `ask_<agent>`.
 * OpenClaw's docs name no key that narrows the list, so there is none here either; the route's
 * operator credential is what decides who may ask.
 */
export function mcpRouteDeps(gateway: Gateway, runs: GatewayServeParts["runs"]): McpRouteDeps {
  const parts: GatewayServeParts = {
    agents: { list: () => gateway.supervisor.list(), has: (agentId) => gateway.supervisor.has(agentId) },
    runs,
    transcripts: gateway.transcripts,
    redactor: gateway.redactor,
  };
  return {
    sessions: lazySessions(() =>
      import("../mcp/serve/http-sessions.js").then(
        ({ McpHttpSessions }) =>
          new McpHttpSessions({
            backend: gatewayServeBackend(parts),
            onEvent: (event, sessionId) =>
              gateway.logger.info({ event, session: sessionId?.slice(0, 8) }, "mcp session"),
          }),
      ),
    ),
    ask: (request) => askOnGateway(parts, request, "/__openclaw__/agents/:id/ask"),
  };
}

/**
 * The sessions, built on the first request to `/mcp`: they need the MCP SDK's server and
 * transport (with ajv and zod-to-json-schema, ≈ 150 modules), which a gateway nobody asks over
 * MCP never loads. A request that arrives after close gets the closed sessions' answer (503).
 */
function lazySessions(create: () => Promise<McpHttpSessions>): Pick<McpHttpSessions, "handle" | "close"> {
  let sessions: Promise<McpHttpSessions> | undefined;
  let closed = false;
  return {
    async handle(request, body, owner) {
      sessions ??= create();
      const created = await sessions;
      if (closed) await created.close();
      return created.handle(request, body, owner);
    },
    async close() {
      closed = true;
      await (await sessions)?.close();
    },
  };
}
