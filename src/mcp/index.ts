/**
 * MCP servers as agent tools (the client side). The sessions live on the gateway's thread, where
 * the servers' secrets are read; agents' threads get proxy tools (tools/mcp-tools.ts) that call
 * the `mcp` host service. `openclaw mcp serve` lives in ./serve.
 */
export {
  McpClients,
  type McpClientsOptions,
  type McpServerStatus,
  type McpToolDescriptor,
} from "./mcp-clients.js";
export { mcpService } from "./mcp-service.js";
export { openTransport, type TransportOptions } from "./open-transport.js";
export type { ServerLaunch, ServerPlacement } from "./server-launch.js";
export { restartDelayMs } from "./server-slot.js";
export { mcpToolName, passesToolFilter, serverPrefix, serverPrefixes } from "./tool-names.js";
export { type McpToolOutcome, toolOutcome } from "./tool-result.js";
