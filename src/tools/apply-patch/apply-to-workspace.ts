import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { ToolInputError } from "../tool.js";
import { locateInWorkspace, type WorkspaceLocation } from "../workspace/confine.js";
import { toToolError } from "../workspace/file-errors.js";
import { looksBinary, openRegularFile } from "../workspace/open-regular-file.js";
import type { WorkspaceAccess } from "../workspace/workspace-types.js";
import { replaceFileAtomically } from "../workspace/workspace-write.js";
import { applyHunks } from "./apply-hunks.js";
import type { PatchOperation } from "./patch-types.js";

const FILE_MODE = 0o644;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface PatchSummary {
  added: string[];
  updated: string[];
  deleted: string[];
  moved: { from: string; to: string }[];
}

interface PlannedFile {
  location: WorkspaceLocation;
  path: string;
  /** What the file held before the patch (undefined: absent), to put back if the commit fails. */
  original: string | undefined;
  /** What it holds after (undefined: deleted). */
  next: string | undefined;
}

/**
 * Applies a parsed patch to the workspace, all or nothing. Every operation is first computed in
 * memory against the files as the earlier operations left them; only when all of them apply is
 * anything written. Each path goes through the same checks as `write` (no `..` or symlink out of
 * the workspace, nothing hidden), so a patch can reach no file that `write` could not.
 */
export async function applyPatchToWorkspace(
  workspace: WorkspaceAccess,
  operations: readonly PatchOperation[],
): Promise<PatchSummary> {
  const hidden = workspace.hidden ?? [];
  const planned = new Map<string, PlannedFile>();
  const summary: PatchSummary = { added: [], updated: [], deleted: [], moved: [] };

  const fileAt = async (path: string): Promise<PlannedFile> => {
    let location: WorkspaceLocation;
    try {
      location = await locateInWorkspace(workspace.root, path, { forWrite: true, hidden });
    } catch (error) {
      throw prefixed(toToolError(error, path));
    }
    const known = planned.get(location.hostPath);
    if (known) return known;
    const original = await readIfPresent(location, path);
    const file: PlannedFile = { location, path: location.workspacePath, original, next: original };
    planned.set(location.hostPath, file);
    return file;
  };

  for (const operation of operations) {
    const file = await fileAt(operation.path);
    if (operation.kind === "add") {
      if (file.next !== undefined) {
        throw new ToolInputError(
          `apply_patch: cannot add "${operation.path}": it exists; delete it earlier in the patch or update it`,
        );
      }
      file.next = operation.lines.length === 0 ? "" : `${operation.lines.join("\n")}\n`;
      summary.added.push(file.path);
    } else if (operation.kind === "delete") {
      if (file.next === undefined) throw missing("delete", operation.path);
      file.next = undefined;
      summary.deleted.push(file.path);
    } else {
      if (file.next === undefined) throw missing("update", operation.path);
      const text = applyHunks(file.next, operation.hunks, operation.path);
      if (operation.moveTo === undefined) {
        file.next = text;
        summary.updated.push(file.path);
        continue;
      }
      const target = await fileAt(operation.moveTo);
      if (target !== file) {
        if (target.next !== undefined) {
          throw new ToolInputError(
            `apply_patch: cannot move "${operation.path}" to "${operation.moveTo}": the destination exists`,
          );
        }
        file.next = undefined;
      }
      target.next = text;
      summary.moved.push({ from: file.path, to: target.path });
    }
  }
  await commit([...planned.values()]);
  return summary;
}

/** Writes the planned files; if one write fails, puts back those already written. */
async function commit(files: PlannedFile[]): Promise<void> {
  const done: PlannedFile[] = [];
  try {
    for (const file of files) {
      if (file.next === file.original) continue;
      await writeState(file, file.next);
      done.push(file);
    }
  } catch (error) {
    for (const file of done.reverse()) await writeState(file, file.original).catch(() => undefined);
    throw prefixed(toToolError(error, files[done.length]?.path ?? "?"));
  }
}

async function writeState(file: PlannedFile, content: string | undefined): Promise<void> {
  if (content === undefined) {
    await rm(file.location.hostPath, { force: true });
    return;
  }
  await mkdir(dirname(file.location.hostPath), { recursive: true });
  await replaceFileAtomically(file.location, file.path, Buffer.from(content, "utf8"), FILE_MODE);
}

async function readIfPresent(location: WorkspaceLocation, path: string): Promise<string | undefined> {
  try {
    const { handle, stats } = await openRegularFile(location.hostPath, path);
    try {
      if (stats.size > MAX_FILE_BYTES) {
        throw new ToolInputError(
          `apply_patch: "${path}" is ${stats.size} bytes; the limit is ${MAX_FILE_BYTES}`,
        );
      }
      const bytes = await handle.readFile();
      if (looksBinary(bytes)) throw new ToolInputError(`apply_patch: "${path}" is a binary file`);
      return bytes.toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw prefixed(toToolError(error, path));
  }
}

function missing(verb: string, path: string): ToolInputError {
  return new ToolInputError(`apply_patch: cannot ${verb} "${path}": it does not exist in the workspace`);
}

function prefixed(error: Error): Error {
  if (!(error instanceof ToolInputError) || error.message.startsWith("apply_patch:")) return error;
  return new ToolInputError(`apply_patch: ${error.message}`);
}
