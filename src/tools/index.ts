export { BUILTIN_TOOLS, currentTimeTool, echoTool } from "./builtin-tools.js";
export { CANVAS_SERVICE, canvasTool } from "./canvas-tool.js";
export { type HostAccess, requireHost } from "./host-access.js";
export { MEMORY_SERVICE, MEMORY_TOOLS, type MemoryOperation } from "./memory-tools.js";
export { MESSAGE_SERVICE, messageTool } from "./message-tool.js";
export { loadPluginTools } from "./plugin-loader.js";
export {
  createSubagentAccess,
  SUBAGENT_TOOLS,
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

import { BUILTIN_TOOLS } from "./builtin-tools.js";
import { canvasTool } from "./canvas-tool.js";
import { MEMORY_TOOLS } from "./memory-tools.js";
import { messageTool } from "./message-tool.js";
import type { Tool } from "./tool.js";

/**
 * The built-in tools that call a host service (each names it in `hostService`): an agent is
 * offered those whose service the gateway registered. A new service's tool is listed here.
 */
export const SERVICE_TOOLS: readonly Tool[] = [...MEMORY_TOOLS, canvasTool, messageTool];

/**
 * The tools an agent may use: all built-ins but the opt-in ones, or those its `tools`
 * allow-list names.
 */
export function selectTools(
  allowList: readonly string[] | undefined,
  available: readonly Tool[] = BUILTIN_TOOLS,
): Tool[] {
  if (!allowList) return available.filter((tool) => !tool.optIn);
  const allowed = new Set(allowList);
  return available.filter((tool) => allowed.has(tool.name));
}
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
