import { OpenClawError } from "../errors.js";
import type { PidsBound } from "./pids-cgroup.js";

/** Whether host commands can be confined here, and how well; what `doctor` and `exec` report. */
export interface ConfinementAvailability {
  available: boolean;
  /** What was found ("bubblewrap 0.8.0 at /usr/bin/bwrap"), or why it cannot be used. */
  reason: string;
  /** What to do: when unavailable, how to make it work or opt out; when pids are unbounded, how to bound them. */
  fix: string | undefined;
  /** How processes are bounded per call; "none" when unavailable. */
  pidsBound: PidsBound;
}

/** The explicit per-agent opt-out, named in every fix. */
export const OPT_OUT_HINT =
  "or, to run an agent's commands unconfined (they can then read everything the gateway's user can), set agents.<id>.sandbox.host.confinement to \"unconfined\"";

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

export function missingBwrapFix(): string {
  const install = runsAsRoot()
    ? "install bubblewrap: apt-get install bubblewrap"
    : "have bubblewrap installed (as root: apt-get install bubblewrap)";
  return `${install}; ${OPT_OUT_HINT}`;
}

export function missingPrlimitFix(): string {
  return `install util-linux (it provides prlimit): apt-get install util-linux; ${OPT_OUT_HINT}`;
}

/** bwrap is there but cannot build its namespaces: as root that is a container's seccomp or capabilities; otherwise user namespaces. */
export function sandboxRefusedFix(): string {
  const cause = runsAsRoot()
    ? "in a container, allow namespaces (docker run --security-opt seccomp=unconfined --cap-add SYS_ADMIN, or run the gateway on the host)"
    : "enable unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 (Debian) and, on Ubuntu 24.04 or later, " +
      "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or an AppArmor profile that allows bwrap userns)";
  return `${cause}; ${OPT_OUT_HINT}`;
}

export const UNBOUNDED_PIDS_FIX =
  "give the gateway a writable pids cgroup (cgroup v1 /sys/fs/cgroup/pids, or a cgroup v2 whose cgroup.subtree_control " +
  "lists pids), or run it as a non-root user so that RLIMIT_NPROC applies";

/** The tool error of a command that must be confined and cannot be. */
export function confinementUnavailableError(availability: ConfinementAvailability): OpenClawError {
  return new OpenClawError(
    "OC_ERR_CONFINEMENT_UNAVAILABLE",
    `host commands cannot be confined: ${availability.reason}`,
    {
      hint: availability.fix ?? missingBwrapFix(),
      details: { pidsBound: availability.pidsBound },
    },
  );
}
