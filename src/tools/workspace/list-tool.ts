import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import type { HiddenPath } from "../../confinement/index.js";
import { asObject, type Tool, ToolInputError } from "../tool.js";
import { MAX_TOOL_OUTPUT_CHARS } from "../tool-output.js";
import { isHidden, locateInWorkspace } from "./confine.js";
import { toToolError } from "./file-errors.js";
import {
  optionalBoolean,
  optionalPositiveInteger,
  optionalString,
  requireWorkspace,
} from "./workspace-input.js";

const DEFAULT_MAX_ENTRIES = 500;
const MAX_ENTRIES_LIMIT = 5000;
/** Room for the result's other fields: the entries must fit the turn loop's tool output cap. */
const RESULT_OVERHEAD_CHARS = 512;

export interface ListEntry {
  /** Relative to the workspace root, ready to pass to read, write or edit. */
  path: string;
  type: "file" | "dir" | "symlink" | "other";
  /** Size in bytes, for files. */
  size?: number;
}

/** Lists a workspace directory, breadth first, never following symlinks. */
export const listTool: Tool = {
  name: "list",
  description:
    "Lists the entries of a workspace directory (default: the workspace root) with their type " +
    "(file, dir, symlink, other) and, for files, their size in bytes. With recursive, also lists " +
    "subdirectories, breadth first; symlinks are shown but never followed. Stops after maxEntries " +
    "(default 500) and says so with truncated.",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", default: ".", description: "Directory, relative to the workspace root." },
      recursive: { type: "boolean", default: false, description: "Also list subdirectories." },
      maxEntries: {
        type: "integer",
        minimum: 1,
        maximum: MAX_ENTRIES_LIMIT,
        default: DEFAULT_MAX_ENTRIES,
        description: "Most entries to return.",
      },
    },
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "list");
    const path = optionalString(fields, "path", "list", ".");
    const recursive = optionalBoolean(fields, "recursive", "list", false);
    const maxEntries = optionalPositiveInteger(fields, "maxEntries", "list") ?? DEFAULT_MAX_ENTRIES;
    if (maxEntries > MAX_ENTRIES_LIMIT) {
      throw new ToolInputError(`list field \`maxEntries\` must be at most ${MAX_ENTRIES_LIMIT}`);
    }
    const workspace = requireWorkspace(context);
    try {
      const location = await locateInWorkspace(workspace.root, path, { hidden: workspace.hidden ?? [] });
      const stats = await lstat(location.hostPath);
      if (!stats.isDirectory()) {
        throw new ToolInputError(`"${path}" is not a directory; use read for files`);
      }
      const budget = MAX_TOOL_OUTPUT_CHARS - RESULT_OVERHEAD_CHARS;
      const walk = await listEntries(location.realRoot, location.hostPath, {
        recursive,
        maxEntries,
        budget,
        hidden: location.hidden,
      });
      return { path: location.workspacePath, truncated: walk.truncated, entries: walk.entries };
    } catch (error) {
      throw toToolError(error, path);
    }
  },
};

export interface ListOptions {
  recursive: boolean;
  maxEntries: number;
  /** Characters the JSON of the entries may take. */
  budget: number;
  /** Entries left out, as confined commands do not see them. */
  hidden: readonly HiddenPath[];
}

/** The entries of a checked workspace directory, breadth first, never following symlinks. */
export async function listEntries(
  realRoot: string,
  directory: string,
  { recursive, maxEntries, budget, hidden }: ListOptions,
): Promise<{ entries: ListEntry[]; truncated: boolean }> {
  const entries: ListEntry[] = [];
  const pending = [directory];
  let used = 0;
  for (let current = pending.shift(); current !== undefined; current = pending.shift()) {
    let dirents: Dirent[];
    try {
      dirents = await readdir(current, { withFileTypes: true });
    } catch (error) {
      // An unreadable subdirectory does not spoil the rest of a recursive listing.
      if (current !== directory) continue;
      throw error;
    }
    dirents.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const dirent of dirents) {
      const hostPath = join(current, dirent.name);
      if (isHidden(hostPath, hidden)) continue;
      const entry = await describeEntry(realRoot, hostPath, dirent);
      used += JSON.stringify(entry).length + 1;
      if (entries.length >= maxEntries || used > budget) return { entries, truncated: true };
      entries.push(entry);
      if (recursive && entry.type === "dir") pending.push(hostPath);
    }
  }
  return { entries, truncated: false };
}

async function describeEntry(realRoot: string, hostPath: string, dirent: Dirent): Promise<ListEntry> {
  const path = relative(realRoot, hostPath);
  // Dirent types come from readdir itself and describe the entry, not what a symlink points to.
  if (dirent.isSymbolicLink()) return { path, type: "symlink" };
  if (dirent.isDirectory()) return { path, type: "dir" };
  if (!dirent.isFile()) return { path, type: "other" };
  const stats = await lstat(hostPath).catch(() => undefined);
  return stats ? { path, type: "file", size: stats.size } : { path, type: "file" };
}
