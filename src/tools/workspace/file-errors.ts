import { ToolInputError } from "../tool.js";

const MESSAGES: Record<string, (path: string) => string> = {
  ENOENT: (path) => `"${path}" does not exist in the workspace`,
  EISDIR: (path) => `"${path}" is a directory, not a file`,
  ENOTDIR: (path) => `a parent of "${path}" is a file, not a directory`,
  EACCES: (path) => `permission denied on "${path}"`,
  EPERM: (path) => `permission denied on "${path}"`,
  // O_NOFOLLOW on a symlink: the path was swapped for a symlink after it was checked.
  ELOOP: (path) => `"${path}" is a symlink or a symlink loop; refusing to follow it`,
  ENAMETOOLONG: (path) => `path "${path}" is too long`,
  ENOSPC: (path) => `no space left on the device while writing "${path}"`,
  EDQUOT: (path) => `disk quota exceeded while writing "${path}"`,
  EROFS: (path) => `"${path}" is on a read-only file system`,
};

/**
 * Turns a file system error into a tool error that names the workspace path the model gave.
 * Node's own messages carry the absolute host path, which the model has no use for.
 */
export function toToolError(error: unknown, path: string): Error {
  if (error instanceof ToolInputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return error instanceof Error ? error : new Error(String(error));
  const message = MESSAGES[code];
  return new ToolInputError(message ? message(path) : `${code} on "${path}"`);
}
