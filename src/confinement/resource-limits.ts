import type { ConfinementLimits } from "./confinement-policy.js";

/**
 * `prlimit` argv setting the confined process's rlimits (soft = hard, so the process cannot raise
 * them back), then running `argv`. RLIMIT_CPU and RLIMIT_NOFILE are per process; RLIMIT_FSIZE
 * stops any one file from filling the disk; core dumps are off, since they would land in the
 * workspace. RLIMIT_NPROC only when asked: it counts every process of the user, and the kernel
 * does not enforce it for root (kuid 0), so it is the fallback when no pids cgroup is writable.
 */
export function prlimitArguments(
  prlimitPath: string,
  limits: ConfinementLimits,
  argv: readonly string[],
  options: { processLimit: boolean },
): string[] {
  return [
    prlimitPath,
    `--cpu=${limits.cpuSeconds}`,
    `--fsize=${limits.maxFileBytes}`,
    `--nofile=${limits.openFiles}`,
    "--core=0",
    ...(options.processLimit ? [`--nproc=${limits.pids}`] : []),
    "--",
    ...argv,
  ];
}
