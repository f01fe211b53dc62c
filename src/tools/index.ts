export { BUILTIN_TOOLS, currentTimeTool, echoTool } from "./builtin-tools.js";
export { loadPluginTools } from "./plugin-loader.js";
export { createSubagentAccess, SUBAGENT_TOOLS, type SubagentAccessOptions } from "./subagent-tools.js";
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
import type { Tool } from "./tool.js";

/** The tools an agent may use: all built-ins, or those its `tools` allow-list names. */
export function selectTools(
  allowList: readonly string[] | undefined,
  available: readonly Tool[] = BUILTIN_TOOLS,
): Tool[] {
  if (!allowList) return [...available];
  const allowed = new Set(allowList);
  return available.filter((tool) => allowed.has(tool.name));
}
export { type CanvasAccess, canvasTool } from "./canvas-tool.js";
export { MEMORY_TOOLS, type MemoryAccess } from "./memory-tools.js";
export {
  type CommandRequest,
  type CommandResult,
  type CommandRunner,
  createHostCommandRunner,
  createWorkspaceFiles,
  type HostRunnerOptions,
  WORKSPACE_TOOLS,
  type WorkspaceAccess,
  type WorkspaceFiles,
} from "./workspace/index.js";
