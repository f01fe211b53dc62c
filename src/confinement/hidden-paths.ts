import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** A host path replaced by nothing: an empty read-only directory, or a file that cannot be opened. */
export interface HiddenPath {
  path: string;
  kind: "directory" | "file";
  /** False for a path that does not exist (yet): it matters only inside a writable directory. */
  exists?: boolean;
}

/** `path` is `ancestor` itself or lies below it (both absolute and normalised). */
export function isSameOrInside(path: string, ancestor: string): boolean {
  const rest = relative(ancestor, path);
  return rest === "" || (rest !== ".." && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

export function isStrictlyInside(path: string, ancestor: string): boolean {
  return path !== ancestor && isSameOrInside(path, ancestor);
}

/**
 * The hidden paths as they are on this host now: symlinks resolved, each with its kind. A path
 * that does not exist is kept at its would-be real place (its nearest existing ancestor resolved)
 * with `exists: false`, since inside a writable directory it must not be created either. `/` is
 * never hidden: that would hide the programs themselves.
 */
export async function resolveHiddenPaths(paths: readonly string[]): Promise<HiddenPath[]> {
  const resolved = await Promise.all([...new Set(paths)].map((path) => resolveHiddenPath(resolve(path))));
  return resolved.filter((entry): entry is HiddenPath => entry !== undefined && entry.path !== "/");
}

async function resolveHiddenPath(path: string): Promise<HiddenPath | undefined> {
  try {
    const real = await realpath(path);
    const stats = await lstat(real);
    return { path: real, kind: stats.isDirectory() ? "directory" : "file", exists: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return undefined;
  }
  const parent = dirname(path);
  if (parent === path) return undefined;
  const resolvedParent = await resolveHiddenPath(parent);
  if (!resolvedParent) return undefined;
  return { path: join(resolvedParent.path, basename(path)), kind: "file", exists: false };
}

/**
 * What must be hidden inside a writable directory `root` for the hidden paths below it: for each,
 * the topmost entry below `root` that holds it. The process can rename anything in its writable
 * directory except a mount point: hiding only `root/a/b/key` would let one call move `root/a`
 * aside, and the next call (whose list still says `root/a/b/key`) read the key at its new place.
 * Hidden paths that are `root` or contain it do not count: nothing can hide a workspace from
 * itself. Kinds are what the paths say; `resolveEntryKinds` corrects them from the disk.
 */
export function hiddenEntriesInside(root: string, hidden: readonly HiddenPath[]): HiddenPath[] {
  const entries = new Map<string, HiddenPath>();
  for (const entry of hidden) {
    if (!isStrictlyInside(entry.path, root)) continue;
    const [first] = relative(root, entry.path).split(sep);
    const top = join(root, first as string);
    // Above the hidden path, an entry is one of its directories (a missing one will be made one).
    const kind = top === entry.path ? entry.kind : "directory";
    const known = entries.get(top);
    if (!known || (kind === "directory" && known.kind === "file")) entries.set(top, { path: top, kind });
  }
  return [...entries.values()].sort(byPath);
}

/** The entries' kinds as they are on the disk now (an entry above a hidden path may be a file). */
export async function resolveEntryKinds(entries: readonly HiddenPath[]): Promise<HiddenPath[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const stats = await lstat(entry.path).catch(() => undefined);
      if (!stats) return { ...entry, exists: false };
      return { path: entry.path, kind: stats.isDirectory() ? "directory" : "file", exists: true };
    }),
  );
}

/** Drops duplicates and paths below another path of the list, in path order (parents first). */
export function outermostPaths<T extends { path: string }>(entries: readonly T[]): T[] {
  const kept: T[] = [];
  for (const entry of [...entries].sort(byPath)) {
    if (!kept.some((outer) => isSameOrInside(entry.path, outer.path))) kept.push(entry);
  }
  return kept;
}

function byPath(left: { path: string }, right: { path: string }): number {
  return left.path < right.path ? -1 : left.path > right.path ? 1 : 0;
}
