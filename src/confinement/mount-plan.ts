import { lstat, realpath } from "node:fs/promises";
import type { ConfinementPolicy } from "./confinement-policy.js";
import {
  type HiddenPath,
  hiddenEntriesInside,
  isSameOrInside,
  outermostPaths,
  resolveEntryKinds,
  resolveHiddenPaths,
} from "./hidden-paths.js";

/**
 * The mounts of one confined process, in the order they must be made. Order is the point: the
 * workspace usually lies inside the state dir, so the state dir is hidden first, the workspace
 * bound back over it, and whatever is hidden inside the workspace hidden again on top.
 */
export interface MountPlan {
  /** Fresh empty tmpfs mounts over the host's: `/tmp` (private, writable) and `/run` (sockets). */
  systemTmpfs: string[];
  /** Hidden before the writable directories are bound: outside them, or around them. */
  hiddenAround: HiddenPath[];
  /** Real paths, bound read-write, outer ones first. */
  writable: string[];
  /**
   * Hidden again after the binds: the topmost entries inside a writable directory that hold a
   * hidden path. A missing one is created by bwrap (in the writable directory, so on the host),
   * which is what keeps the process from creating it: a secret file it could write is one it
   * could choose.
   */
  hiddenInside: HiddenPath[];
}

/**
 * `/tmp` is replaced so the process shares no scratch files with the host; `/run` and `/var/run`
 * because Docker's and other daemons' sockets live there, and a read-only mount does not stop
 * connect() on a unix socket. `/var/run` is usually a symlink to `/run`, covered by it.
 */
export const SYSTEM_TMPFS = ["/tmp", "/run", "/var/run"] as const;
/** Mounted fresh by bwrap itself, so a hidden path below them is already gone. */
const FRESH_MOUNTS = ["/dev", "/proc"];

/** The plan for already resolved (real) paths; pure, so its order can be tested directly. */
export function planMounts(
  writable: readonly string[],
  hidden: readonly HiddenPath[],
  systemTmpfs: readonly string[] = ["/tmp", "/run"],
): MountPlan {
  const fresh = [...FRESH_MOUNTS, ...systemTmpfs];
  const outerWritable = [...new Set(writable)].sort();
  const hiddenAround = outermostPaths(
    hidden.filter(
      (entry) =>
        entry.exists !== false &&
        entry.path !== "/" &&
        !fresh.some((mount) => isSameOrInside(entry.path, mount)) &&
        !outerWritable.some((directory) => isSameOrInside(entry.path, directory)),
    ),
  );
  const hiddenInside = outermostPaths(
    outerWritable.flatMap((directory) => hiddenEntriesInside(directory, hidden)),
  );
  return { systemTmpfs: [...systemTmpfs], hiddenAround, writable: outerWritable, hiddenInside };
}

/** Resolves the policy's paths on this host (symlinks, kinds, what exists) and plans the mounts. */
export async function resolveMountPlan(
  policy: Pick<ConfinementPolicy, "writable" | "hidden">,
): Promise<MountPlan> {
  const writable = await Promise.all(policy.writable.map((directory) => realpath(directory)));
  const hidden = await resolveHiddenPaths(policy.hidden);
  const plan = planMounts(writable, hidden, await systemTmpfsHere());
  return { ...plan, hiddenInside: await resolveEntryKinds(plan.hiddenInside) };
}

/** The system tmpfs paths that are real directories here (a symlink is covered by its target). */
async function systemTmpfsHere(): Promise<string[]> {
  const present: string[] = [];
  for (const path of SYSTEM_TMPFS) {
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isDirectory()) present.push(path);
  }
  return present;
}
