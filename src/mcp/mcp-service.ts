import { OpenClawError } from "../errors.js";
import type { McpClients } from "./mcp-clients.js";
import { toolOutcome } from "./tool-result.js";

/** What a host service handler is given (see agents/host-services): kept structural, no import. */
interface ServiceCall {
  agentId: string;
  operation: string;
  input: unknown;
  signal: AbortSignal;
}

const fieldsOf = (input: unknown): Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};

/**
 * The `mcp` host service: `list` (the agent's MCP tools) and `call` (one of them). The gateway,
 * not the agent's thread, decides: a tool the agent's policy does not allow is neither listed
 * nor called, whatever the thread asks.
 */
export function mcpService(options: {
  clients: McpClients;
  /** Whether the agent's tool policy allows this MCP tool (`bundle-mcp`, `<server>__*`, ...). */
  allowed(agentId: string, tool: { name: string; server: string }): boolean;
  /** Whether the agent's policy could allow any of a server's tools (else it is not started). */
  wanted(agentId: string, server: { name: string; prefix: string }): boolean;
}): (call: ServiceCall) => Promise<unknown> {
  const { clients } = options;
  return async ({ agentId, operation, input, signal }) => {
    if (operation === "list") {
      const tools = await clients.tools(agentId, signal, (server) => options.wanted(agentId, server));
      return tools.filter((tool) => options.allowed(agentId, tool));
    }
    if (operation !== "call")
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `unknown mcp operation ${operation}`);
    const fields = fieldsOf(input);
    if (typeof fields.name !== "string" || fields.name === "")
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "mcp.call needs the tool's name");
    const { server, tool } = await clients.resolve(agentId, fields.name, signal);
    if (!options.allowed(agentId, { name: fields.name, server })) {
      throw new OpenClawError("OC_ERR_FORBIDDEN", `agent ${agentId} may not use MCP tool ${fields.name}`, {
        hint: `allow it in agents.${agentId}.tools ("bundle-mcp", or "${fields.name.split("__")[0]}__*")`,
      });
    }
    const result = await clients.call(agentId, server, tool, fieldsOf(fields.input), signal);
    return toolOutcome(result);
  };
}
