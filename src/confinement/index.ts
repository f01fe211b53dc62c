/**
 * Confinement: spawn an argv confined by a policy, on the host. A confined process sees the
 * root read-only, its writable directories (an agent's workspace), a private /tmp, and nothing of
 * what the policy hides (the gateway's state and config, secret files, the gateway user's HOME);
 * it has its own pid, ipc, uts, cgroup and (unless allowed) network namespaces, no capabilities,
 * and bounded pids, CPU seconds, file size and open files. It dies with the call.
 *
 * Built on Debian's bubblewrap, called directly rather than through a wrapper library such as
 * @anthropic-ai/sandbox-runtime (which drives bwrap too): the whole policy is then one explicit
 * argv we can read, test and print, with no extra dependency.
 *
 * A leaf: node built-ins and ../errors.js only, so agent workers (and later MCP server launches)
 * can use it without pulling in the gateway.
 */
export {
  type ConfinementAvailability,
  confinementUnavailableError,
  OPT_OUT_HINT,
  UNBOUNDED_PIDS_FIX,
} from "./availability.js";
export { bwrapArguments } from "./bwrap-arguments.js";
export type { ConfinedProcess } from "./confined-launch.js";
export { type Confinement, type ConfinementOptions, createConfinement } from "./confinement.js";
export {
  type ConfinementLimits,
  type ConfinementPolicy,
  DEFAULT_CONFINEMENT_LIMITS,
  type NetworkAccess,
} from "./confinement-policy.js";
export {
  type HiddenPath,
  hiddenEntriesInside,
  isSameOrInside,
  isStrictlyInside,
  resolveHiddenPaths,
} from "./hidden-paths.js";
export { type MountPlan, planMounts, resolveMountPlan } from "./mount-plan.js";
export { type PidsBound, type PidsCgroupParent, pidsCgroupCandidates } from "./pids-cgroup.js";
export { prlimitArguments } from "./resource-limits.js";
