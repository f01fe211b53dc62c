import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { realpath } from "node:fs/promises";
import type { ConfinementAvailability } from "./availability.js";
import { bwrapArguments } from "./bwrap-arguments.js";
import type { ConfinementPolicy } from "./confinement-policy.js";
import { isSameOrInside } from "./hidden-paths.js";
import { type MountPlan, resolveMountPlan } from "./mount-plan.js";
import { type CallCgroup, createCallCgroup, type PidsCgroupParent } from "./pids-cgroup.js";
import { prlimitArguments } from "./resource-limits.js";

/** What the probe found on this host: what every confined call is then built from. */
export interface Setup {
  availability: ConfinementAvailability;
  bwrapPath?: string;
  prlimitPath?: string;
  cgroup?: PidsCgroupParent;
}

/** One confined process: the child is bwrap (or the shell that puts it in its cgroup first). */
export interface ConfinedProcess {
  child: ChildProcess;
  /**
   * Kills everything of the call at once: the process group of bwrap, whose death takes its pid
   * namespace and so every process inside, however it detached itself (setsid, double fork).
   */
  kill(): void;
  /** Once the child has exited: removes the call's cgroup. */
  release(): Promise<void>;
}

/**
 * Moves itself into the call's cgroup, then becomes bwrap: the process is counted by pids.max
 * before it (or anything it starts) can fork, which writing the pid from outside could not ensure.
 */
const JOIN_CGROUP = 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"';
export const SPAWN_ENV = { PATH: "/usr/bin:/bin" };

/** The whole argv of a confined call, and the cgroup made for it (removed by the caller). */
export async function confinedArgv(
  setup: Setup,
  argv: readonly string[],
  policy: ConfinementPolicy,
): Promise<{ argv: string[]; cgroup?: CallCgroup }> {
  const plan = await resolveMountPlan(policy);
  const extraReadOnly = [
    ...(policy.network === "host" ? await resolverConfigHiddenBy(plan) : []),
    ...(await programDirectories(policy)),
  ];
  const inner = prlimitArguments(setup.prlimitPath as string, policy.limits, argv, {
    processLimit: setup.availability.pidsBound === "rlimit",
  });
  const bwrap = [setup.bwrapPath as string, ...bwrapArguments(plan, policy, inner, extraReadOnly)];
  if (!setup.cgroup) return { argv: bwrap };
  const cgroup = await createCallCgroup(setup.cgroup, policy.limits.pids);
  return { argv: ["/bin/sh", "-c", JOIN_CGROUP, "sh", cgroup.directory, ...bwrap], cgroup };
}

/** `policy.readOnly` as real paths that exist, less any that would show a hidden path again. */
async function programDirectories(policy: ConfinementPolicy): Promise<string[]> {
  const hidden = await Promise.all(policy.hidden.map((path) => realpath(path).catch(() => path)));
  const shown: string[] = [];
  for (const path of policy.readOnly ?? []) {
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined || real === "/") continue;
    if (hidden.some((secret) => isSameOrInside(real, secret) || isSameOrInside(secret, real))) continue;
    shown.push(real);
  }
  return [...new Set(shown)];
}

/** With a shared network, DNS must still work when resolv.conf is a symlink into the hidden /run. */
async function resolverConfigHiddenBy(plan: MountPlan): Promise<string[]> {
  const real = await realpath("/etc/resolv.conf").catch(() => undefined);
  if (!real?.startsWith("/run/")) return [];
  const hidden = [...plan.systemTmpfs, ...plan.hiddenAround.map((entry) => entry.path)];
  return hidden.some((path) => isSameOrInside(real, path)) ? [real] : [];
}

/** Starts a built argv in its own process group (so that one kill reaches bwrap and its wrapper). */
export function launch(argv: string[], cgroup: CallCgroup | undefined, stdio: StdioOptions): ConfinedProcess {
  let child: ChildProcess;
  try {
    child = spawn(argv[0] as string, argv.slice(1), { cwd: "/", env: SPAWN_ENV, detached: true, stdio });
  } catch (error) {
    void cgroup?.remove();
    throw error;
  }
  let released: Promise<void> | undefined;
  const kill = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  return {
    child,
    kill,
    release() {
      kill();
      released ??= cgroup?.remove() ?? Promise.resolve();
      return released;
    },
  };
}
