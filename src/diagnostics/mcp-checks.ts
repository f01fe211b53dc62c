import { type Diagnostic, ok, warn } from "./diagnostic.js";
import type { McpSessionFact } from "./facts.js";

const ID = "mcp";

/**
 * Each agent's MCP servers in the running gateway: a server that failed to start (or crashed)
 * leaves its agent serving without that server's tools, so doctor says which and why.
 */
export function checkMcpServers(sessions: McpSessionFact[] | undefined): Diagnostic[] {
  if (!sessions || sessions.length === 0) return [];
  return sessions.map((session) => {
    const name = `MCP server ${session.server} (agent ${session.agentId})`;
    if (session.state !== "failed") {
      const tools = session.tools === undefined ? "" : `, ${session.tools} tool(s)`;
      return ok(ID, `${name}: ${session.state}${tools}`);
    }
    return warn(
      ID,
      `${name} is not running, its tools are missing: ${session.error ?? "unknown reason"}`,
      `check mcp.servers.${session.server} (command, args, url, credentials); the gateway starts it again on the agent's next turn`,
    );
  });
}
