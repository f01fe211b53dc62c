import { lstat } from "node:fs/promises";
import { ToolInputError } from "../tool.js";
import { MAX_TOOL_OUTPUT_CHARS } from "../tool-output.js";
import { locateInWorkspace } from "./confine.js";
import { toToolError } from "./file-errors.js";
import { type ListEntry, listEntries } from "./list-tool.js";
import { looksBinary, openRegularFile } from "./open-regular-file.js";
import type { WorkspaceAccess } from "./workspace-types.js";

const DEFAULT_MAX_READ_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 500;

/**
 * The agent's workspace files for plugin tools, with the rules of the built-in file tools: paths
 * relative to the workspace root, no `..` or symlink out of it, nothing that is hidden from the
 * agent. Plugins are trusted code (the operator installs them, and they run in the agent's thread
 * with the gateway user's rights), so this is not a wall against a plugin; it is what keeps a
 * well-meant plugin from reading what the model names anywhere on the host.
 */
export interface WorkspaceFiles {
  /** A UTF-8 text file of the workspace; refuses directories, binary files and files over maxBytes (default 5 MB). */
  readText(path: string, options?: { maxBytes?: number }): Promise<string>;
  /** The entries of a workspace directory (default the root), breadth first, symlinks not followed. */
  list(path?: string, options?: { recursive?: boolean; maxEntries?: number }): Promise<ListEntry[]>;
}

export function createWorkspaceFiles(workspace: WorkspaceAccess): WorkspaceFiles {
  const hidden = workspace.hidden ?? [];
  return {
    async readText(path, { maxBytes = DEFAULT_MAX_READ_BYTES } = {}) {
      try {
        const location = await locateInWorkspace(workspace.root, path, { hidden });
        const { handle, stats } = await openRegularFile(location.hostPath, path);
        try {
          if (stats.size > maxBytes) {
            throw new ToolInputError(`"${path}" is ${stats.size} bytes; the limit is ${maxBytes}`);
          }
          const bytes = await handle.readFile();
          if (looksBinary(bytes)) {
            throw new ToolInputError(`"${path}" looks like a binary file (it contains NUL bytes)`);
          }
          return bytes.toString("utf8");
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw toToolError(error, path);
      }
    },

    async list(path = ".", { recursive = false, maxEntries = DEFAULT_MAX_ENTRIES } = {}) {
      try {
        const location = await locateInWorkspace(workspace.root, path, { hidden });
        if (!(await lstat(location.hostPath)).isDirectory()) {
          throw new ToolInputError(`"${path}" is not a directory`);
        }
        const walk = await listEntries(location.realRoot, location.hostPath, {
          recursive,
          maxEntries,
          budget: MAX_TOOL_OUTPUT_CHARS,
          hidden: location.hidden,
        });
        return walk.entries;
      } catch (error) {
        throw toToolError(error, path);
      }
    },
  };
}
