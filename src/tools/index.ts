import { allowsMcpTool, applyToolPolicy, TOOL_ALIASES, type ToolPolicy } from "./tool-policy.js";

export { BROWSER_SERVICE, browserTool } from "./browser-tool.js";
export { BUILTIN_TOOLS, currentTimeTool, echoTool } from "./builtin-tools.js";
export { CANVAS_SERVICE, canvasTool } from "./canvas-tool.js";
export { type HostAccess, requireHost } from "./host-access.js";
export { listMcpTools, MCP_SERVICE } from "./mcp-tools.js";
export { MEMORY_SERVICE, MEMORY_TOOLS, type MemoryOperation } from "./memory-tools.js";
export { MESSAGE_SERVICE, messageTool } from "./message-tool.js";
export { loadPluginTools } from "./plugin-loader.js";
export {
  agentsListTool,
  agentsSpawnTool,
  SESSIONS_SERVICE,
  SUBAGENT_TOOLS,
  sessionsSpawnTool,
} from "./sessions-spawn-tool.js";
export {
  createSubagentAccess,
  SUBAGENTS_SERVICE,
  type SubagentAccessOptions,
} from "./subagent-tools.js";
export {
  asObject,
  type SubagentAccess,
  type SubagentRunResult,
  type Tool,
  type ToolContext,
  ToolInputError,
} from "./tool.js";
export { formatToolOutput, MAX_TOOL_OUTPUT_CHARS } from "./tool-output.js";
export { WEB_SERVICE, webFetchTool } from "./web-fetch-tool.js";

import { browserTool } from "./browser-tool.js";
import { BUILTIN_TOOLS } from "./builtin-tools.js";
import { canvasTool } from "./canvas-tool.js";
import { MEMORY_TOOLS } from "./memory-tools.js";
import { messageTool } from "./message-tool.js";
import type { Tool } from "./tool.js";
import { webFetchTool } from "./web-fetch-tool.js";

/**
 * The built-in tools that call a host service (each names it in `hostService`): an agent is
 * offered those whose service the gateway registered. A new service's tool is listed here.
 */
export const SERVICE_TOOLS: readonly Tool[] = [
  ...MEMORY_TOOLS,
  canvasTool,
  messageTool,
  webFetchTool,
  browserTool,
];

/**
 * The tools an agent may use: all built-ins but the opt-in ones, or those its `tools`
 * allow-list names.
 */
export function selectTools(
  allowList: readonly string[] | undefined,
  available: readonly Tool[] = BUILTIN_TOOLS,
  policies: readonly ToolPolicy[] = [],
): Tool[] {
  const allowedNames = new Set(
    allowList?.flatMap((name) => [name, ...(TOOL_ALIASES[name] ? [TOOL_ALIASES[name]] : [])]),
  );
  let selected = allowList
    ? available.filter((tool) => allowedNames.has(tool.name) || allowsMcpTool(allowList, tool))
    : available.filter((tool) => !tool.optIn);
  // The agent's own policy replaces the allow-list; the global one (`tools`) narrows either.
  const [own, ...narrowing] = policies;
  if (own && !allowList) selected = applyToolPolicy(own, available);
  for (const policy of allowList ? policies : narrowing) {
    const allowed = new Set(applyToolPolicy({ ...policy, profile: policy.profile ?? "full" }, selected));
    selected = selected.filter((tool) => allowed.has(tool));
  }
  return selected;
}
export { applyToolPolicy, MCP_BUNDLE, type ToolPolicy } from "./tool-policy.js";

/** Whether a tool (by name; `optIn` as the tool declares it) is among those an agent is offered. */
export function isToolSelected(
  tool: { name: string; optIn?: boolean; mcpServer?: string },
  allowList: readonly string[] | undefined,
  policies: readonly ToolPolicy[] = [],
): boolean {
  return selectTools(allowList, [tool as Tool], policies).length > 0;
}
export { BackgroundProcesses, DEFAULT_PROCESS_LIMITS } from "./process/index.js";
export {
  type CommandRequest,
  type CommandResult,
  type CommandRunner,
  createHostCommandRunner,
  createWorkspaceFiles,
  EXEC_OUTPUT_BYTES,
  type HostRunnerOptions,
  MAX_EXEC_TIMEOUT_MS,
  WORKSPACE_TOOLS,
  type WorkspaceAccess,
  type WorkspaceFiles,
} from "./workspace/index.js";
