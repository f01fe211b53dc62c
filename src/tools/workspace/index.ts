import { applyPatchTool } from "../apply-patch/index.js";
import { processTool } from "../process/process-tool.js";
import type { Tool } from "../tool.js";
import { editTool } from "./edit-tool.js";
import { execTool } from "./exec-tool.js";
import { listTool } from "./list-tool.js";
import { readTool } from "./read-tool.js";
import { writeTool } from "./write-tool.js";

export {
  locateInWorkspace,
  type ResolveOptions,
  resolveInWorkspace,
  type WorkspaceLocation,
} from "./confine.js";
export { editTool } from "./edit-tool.js";
export { EXEC_OUTPUT_BYTES, execTool, MAX_EXEC_TIMEOUT_MS } from "./exec-tool.js";
export { createHostCommandRunner, type HostRunnerOptions } from "./host-runner.js";
export { type ListEntry, listTool } from "./list-tool.js";
export { type ReadResult, readTool } from "./read-tool.js";
export { createWorkspaceFiles, type WorkspaceFiles } from "./workspace-files.js";
export type { CommandRequest, CommandResult, CommandRunner, WorkspaceAccess } from "./workspace-types.js";
export { writeTool } from "./write-tool.js";

/** The tools that work on an agent's workspace; each needs `workspace` in its tool context. */
export const WORKSPACE_TOOLS: readonly Tool[] = [
  readTool,
  writeTool,
  editTool,
  applyPatchTool,
  listTool,
  execTool,
  processTool,
];
