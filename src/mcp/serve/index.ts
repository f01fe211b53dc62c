export { askOnGateway, type GatewayServeParts, gatewayServeBackend } from "./gateway-backend.js";
export {
  DEFAULT_MAX_MCP_SESSIONS,
  DEFAULT_MCP_IDLE_TIMEOUT_MS,
  type McpExchange,
  McpHttpSessions,
  type McpHttpSessionsOptions,
} from "./http-sessions.js";
export { type GatewayCall, remoteServeBackend } from "./remote-backend.js";
export type {
  AskReply,
  AskRequest,
  McpServeBackend,
  ServedAgent,
  ServedEntry,
  ServedSession,
} from "./serve-backend.js";
export { defaultMcpSessionKey, resolveAskSessionKey } from "./serve-session-key.js";
export { ASK_TOOL_PREFIX, createServeServer, type ServeServer } from "./serve-tools.js";
export { type StdioServeOptions, serveOverStdio } from "./stdio-serve.js";
