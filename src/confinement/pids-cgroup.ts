import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { isSameOrInside } from "./hidden-paths.js";

/**
 * How the number of processes of a confined call is bounded: a pids cgroup per call (v2 when the
 * gateway's cgroup delegates the controller to its children, else the v1 hierarchy), RLIMIT_NPROC
 * (not root only: the kernel does not enforce it for kuid 0), or not at all.
 */
export type PidsBound = "cgroup-v2" | "cgroup-v1" | "rlimit" | "none";

export interface PidsCgroupParent {
  bound: "cgroup-v2" | "cgroup-v1";
  /** The gateway's own cgroup directory, where the per-call cgroups are created. */
  directory: string;
}

interface CgroupMount {
  mountPoint: string;
  /** The part of the hierarchy this mount shows (`/` unless mounted from inside a namespace). */
  root: string;
}

/** `/proc/self/cgroup`: this process's cgroup in the v2 hierarchy and in the v1 pids one. */
export function parseCgroupMembership(text: string): { v2?: string; v1Pids?: string } {
  const membership: { v2?: string; v1Pids?: string } = {};
  for (const line of text.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    if (id === "0" && controllers === "") membership.v2 = path;
    else if (controllers.split(",").includes("pids")) membership.v1Pids = path;
  }
  return membership;
}

/** `/proc/self/mountinfo`: where the cgroup2 hierarchy and the v1 pids hierarchy are mounted. */
export function parseCgroupMounts(text: string): { v2?: CgroupMount; v1Pids?: CgroupMount } {
  const mounts: { v2?: CgroupMount; v1Pids?: CgroupMount } = {};
  for (const line of text.split("\n")) {
    const [before, after] = line.split(" - ");
    if (!before || !after) continue;
    const fields = before.split(" ");
    const [fileSystem, , superOptions = ""] = after.split(" ");
    const root = unescapeMountPath(fields[3] ?? "");
    const mountPoint = unescapeMountPath(fields[4] ?? "");
    if (!root || !mountPoint) continue;
    if (fileSystem === "cgroup2" && !mounts.v2) mounts.v2 = { mountPoint, root };
    if (fileSystem === "cgroup" && superOptions.split(",").includes("pids") && !mounts.v1Pids) {
      mounts.v1Pids = { mountPoint, root };
    }
  }
  return mounts;
}

/** Mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function directoryOf(mount: CgroupMount | undefined, path: string | undefined): string | undefined {
  if (!mount || path === undefined || !isSameOrInside(path, mount.root)) return undefined;
  return join(mount.mountPoint, relative(mount.root, path));
}

/** The cgroup directories worth trying, best first. */
export function pidsCgroupCandidates(cgroupText: string, mountInfoText: string): PidsCgroupParent[] {
  const membership = parseCgroupMembership(cgroupText);
  const mounts = parseCgroupMounts(mountInfoText);
  const candidates: PidsCgroupParent[] = [];
  const v2 = directoryOf(mounts.v2, membership.v2);
  if (v2) candidates.push({ bound: "cgroup-v2", directory: v2 });
  const v1 = directoryOf(mounts.v1Pids, membership.v1Pids);
  if (v1) candidates.push({ bound: "cgroup-v1", directory: v1 });
  return candidates;
}

const CALL_PREFIX = "openclaw-";

function callName(): string {
  return `${CALL_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`;
}

/**
 * The first candidate where a per-call cgroup can really be made and bounded: a child is created,
 * given a pids.max and removed again. In v2 the controller must already be delegated to our
 * children (`cgroup.subtree_control` lists it): enabling it would need the gateway itself to
 * move out of its cgroup first. Leftovers of gateways that died mid-call are removed on the way.
 */
export async function findPidsCgroup(
  candidates: readonly PidsCgroupParent[],
): Promise<PidsCgroupParent | undefined> {
  for (const candidate of candidates) {
    if (candidate.bound === "cgroup-v2") {
      const delegated = await readFile(join(candidate.directory, "cgroup.subtree_control"), "utf8").catch(
        () => "",
      );
      if (!delegated.split(/\s+/).includes("pids")) continue;
    }
    const probe = join(candidate.directory, callName());
    try {
      await mkdir(probe);
      try {
        await writeFile(join(probe, "pids.max"), "8");
      } finally {
        await rmdir(probe);
      }
    } catch {
      continue;
    }
    await removeLeftovers(candidate.directory);
    return candidate;
  }
  return undefined;
}

async function removeLeftovers(directory: string): Promise<void> {
  const names = await readdir(directory).catch(() => [] as string[]);
  for (const name of names) {
    const owner = new RegExp(`^${CALL_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    await rmdir(join(directory, name)).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** How long to wait for the killed processes of a call to be reaped before leaving its cgroup. */
const REMOVE_TIMEOUT_MS = 2000;

export interface CallCgroup {
  directory: string;
  /** Kills what is left (v2 `cgroup.kill`), waits for the cgroup to empty, and removes it. */
  remove(): Promise<void>;
}

/** A fresh cgroup for one call, with its pids.max set before any process enters it. */
export async function createCallCgroup(parent: PidsCgroupParent, pidsMax: number): Promise<CallCgroup> {
  const directory = join(parent.directory, callName());
  await mkdir(directory);
  try {
    await writeFile(join(directory, "pids.max"), String(pidsMax));
  } catch (error) {
    await rmdir(directory).catch(() => {});
    throw error;
  }
  return {
    directory,
    async remove() {
      if (parent.bound === "cgroup-v2") await writeFile(join(directory, "cgroup.kill"), "1").catch(() => {});
      const deadline = Date.now() + REMOVE_TIMEOUT_MS;
      // The exited processes leave the cgroup a moment after their exit is reported: retry soon,
      // then less often (a 20 ms first wait was most of a confined call's cost).
      for (let waitMs = 1; ; waitMs = Math.min(waitMs * 2, 50)) {
        try {
          await rmdir(directory);
          return;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // EBUSY: killed processes not reaped yet. A leftover is removed by the next probe.
          if (code !== "EBUSY" || Date.now() > deadline) return;
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
      }
    },
  };
}
