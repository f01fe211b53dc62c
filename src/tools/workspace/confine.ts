import type { Stats } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import {
  type HiddenPath,
  hiddenEntriesInside,
  isSameOrInside,
  resolveHiddenPaths,
} from "../../confinement/index.js";
import { ToolInputError } from "../tool.js";
import { toToolError } from "./file-errors.js";

export interface ResolveOptions {
  /** The caller will create or replace the file: its last component must not be a symlink. */
  forWrite?: boolean;
  /**
   * Host paths hidden from the agent (`WorkspaceAccess.hidden`). Those inside the workspace are
   * refused exactly as confined commands cannot see them: the topmost entry below the root that
   * holds one is hidden whole (see hiddenEntriesInside).
   */
  hidden?: readonly string[];
}

/**
 * Resolves a model-given path to a host path inside the workspace, or refuses it.
 *
 * `..` is normalised away first; then the path is walked from the root one component at a time,
 * and each symlink met is resolved with `realpath`. A symlink that leads outside (to a file or a
 * directory, as a parent or as the last component) is refused, and so is a dangling one, whose
 * target cannot be checked and would be created wherever it points. The returned path is free
 * of symlinks at the time of the check; callers open it without following a final symlink.
 */
export async function resolveInWorkspace(
  root: string,
  path: string,
  options: ResolveOptions = {},
): Promise<string> {
  return (await locateInWorkspace(root, path, options)).hostPath;
}

export interface WorkspaceLocation {
  /** The workspace root with its own symlinks resolved. */
  realRoot: string;
  /** Where the path lives on the host, free of symlinks at the time of the check. */
  hostPath: string;
  /** The path relative to the workspace root, as the model should see it; "." for the root. */
  workspacePath: string;
  /** What is hidden inside the workspace: entries a listing must leave out. */
  hidden: HiddenPath[];
}

/** `resolveInWorkspace`, also returning the resolved root and the model-facing path. */
export async function locateInWorkspace(
  root: string,
  path: string,
  options: ResolveOptions = {},
): Promise<WorkspaceLocation> {
  if (path === "") throw new ToolInputError("the path must not be empty");
  if (path.includes("\0")) throw new ToolInputError(`path "${path}" contains a NUL byte`);
  const realRoot = await realpath(root);
  const relativePath = workspaceRelative(root, realRoot, path);
  if (options.forWrite && relativePath === "") {
    throw new ToolInputError(`"${path}" is the workspace root, not a file`);
  }

  // One component at a time, so that nothing is ever looked up under a directory outside the
  // root: each lstat runs in a directory already known to be inside.
  const components = relativePath === "" ? [] : relativePath.split(sep);
  let current = realRoot;
  for (const [index, component] of components.entries()) {
    const next = join(current, component);
    const stats = await lstatIfPresent(next, path);
    if (!stats) {
      current = join(next, ...components.slice(index + 1));
      break;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (options.forWrite && index === components.length - 1) {
      throw new ToolInputError(`"${path}" is a symlink; the workspace tools do not write through symlinks`);
    }
    current = await followSymlink(next, realRoot, path);
  }
  const hidden = await hiddenInWorkspace(realRoot, options.hidden ?? []);
  if (isHidden(current, hidden)) {
    throw new ToolInputError(
      `path "${path}" is hidden from agents (it holds the gateway's state or config, or a secret); use another path`,
    );
  }
  return { realRoot, hostPath: current, workspacePath: relative(realRoot, current) || ".", hidden };
}

/** The hidden entries inside a workspace, resolved on the host now. */
export async function hiddenInWorkspace(realRoot: string, hidden: readonly string[]): Promise<HiddenPath[]> {
  if (hidden.length === 0) return [];
  return hiddenEntriesInside(realRoot, await resolveHiddenPaths(hidden));
}

export function isHidden(hostPath: string, hidden: readonly HiddenPath[]): boolean {
  return hidden.some((entry) => isSameOrInside(hostPath, entry.path));
}

/** The path relative to the root after normalisation, or a refusal if it leaves the root. */
function workspaceRelative(root: string, realRoot: string, path: string): string {
  if (isAbsolute(path)) {
    const normalised = resolve(path);
    for (const base of [resolve(root), realRoot]) {
      const inside = relative(base, normalised);
      if (isInside(inside)) return inside;
    }
    throw new ToolInputError(
      `path "${path}" is outside the workspace; use a path relative to the workspace root`,
    );
  }
  const inside = relative(realRoot, resolve(realRoot, path));
  if (!isInside(inside)) {
    throw new ToolInputError(`path "${path}" leaves the workspace; use a path inside the workspace root`);
  }
  return inside;
}

async function lstatIfPresent(hostPath: string, path: string): Promise<Stats | undefined> {
  try {
    return await lstat(hostPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; the caller's own open reports that in its words.
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw toToolError(error, path);
  }
}

/**
 * Where a symlink inside the workspace leads, if that is inside too. Outside, dangling and
 * unreadable targets get one and the same refusal, so that refusals tell nothing about the host.
 */
async function followSymlink(link: string, realRoot: string, path: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new ToolInputError(`path "${path}" runs into a symlink loop`);
    }
    throw symlinkRefusal(path);
  }
  if (!isInside(relative(realRoot, target))) throw symlinkRefusal(path);
  return target;
}

function isInside(relativePath: string): boolean {
  return (
    relativePath === "" ||
    (relativePath !== ".." && !relativePath.startsWith(`..${sep}`) && !isAbsolute(relativePath))
  );
}

function symlinkRefusal(path: string): ToolInputError {
  return new ToolInputError(
    `path "${path}" goes through a symlink that points outside the workspace or to nothing; refusing to follow it`,
  );
}
