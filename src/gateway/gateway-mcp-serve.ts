import {
  askOnGateway,
  type GatewayServeParts,
  gatewayServeBackend,
  McpHttpSessions,
} from "../mcp/serve/index.js";
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
  const sessions = new McpHttpSessions({
    backend: gatewayServeBackend(parts),
    onEvent: (event, sessionId) =>
      gateway.logger.info({ event, session: sessionId?.slice(0, 8) }, "mcp session"),
  });
  return {
    sessions,
    ask: (request) => askOnGateway(parts, request, "/__openclaw__/agents/:id/ask"),
  };
}
