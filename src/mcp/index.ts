/**
 * MCP servers as agent tools (the client side). The sessions live on the gateway's thread, where
 * the servers' secrets are read; agents' threads get proxy tools (tools/mcp-tools.ts) that call
 * the `mcp` host service. `openclaw mcp serve` lives in ./serve.
 */

export { isStartupHijackKey, withoutStartupHooks } from "./env-filter.js";
export {
  McpClients,
  type McpClientsOptions,
  type McpServerStatus,
  type McpToolDescriptor,
} from "./mcp-clients.js";
export { mcpService } from "./mcp-service.js";

import type { TransportOptions } from "./open-transport.js";
import type { LaunchedTransport } from "./server-launch.js";

export type { TransportOptions };

/** Opens a server's transport; the SDK is loaded with the first server, not with every gateway start. */
export async function openTransport(options: TransportOptions): Promise<LaunchedTransport> {
  return (await import("./open-transport.js")).openTransport(options);
}
export type { ServerLaunch, ServerPlacement } from "./server-launch.js";
export { restartDelayMs } from "./server-slot.js";
export { mcpToolName, passesToolFilter, serverPrefix, serverPrefixes } from "./tool-names.js";
export { type McpToolOutcome, toolOutcome } from "./tool-result.js";
