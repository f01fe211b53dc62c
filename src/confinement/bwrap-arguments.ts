import type { ConfinementPolicy } from "./confinement-policy.js";
import type { HiddenPath } from "./hidden-paths.js";
import type { MountPlan } from "./mount-plan.js";

/**
 * Namespaces and process hygiene. A fresh pid namespace means the process sees no gateway in
 * /proc and everything in it dies when the command (or bwrap, killed at a timeout) exits: pid 1
 * of the namespace is bwrap's reaper. `--cap-drop ALL` matters most when the gateway runs as
 * root: bwrap would otherwise keep every capability, and CAP_SYS_ADMIN could `umount` the very
 * tmpfs that hides a secret. `--new-session` keeps the process off the gateway's terminal.
 */
const ISOLATION = [
  "--die-with-parent",
  "--new-session",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-uts",
  "--unshare-cgroup-try",
  "--cap-drop",
  "ALL",
];

/** The root read-only, and fresh /dev and /proc in place of the host's. */
const BASE_MOUNTS = [
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  // Root owns /proc/sys and /proc/sysrq-trigger, and file modes are all the kernel checks there:
  // without this, a root command could set global sysctls (core_pattern) even without capabilities.
  "--remount-ro",
  "/proc",
];

/**
 * bwrap's arguments (without the program itself) that run `argv` confined by `policy`, for mounts
 * already planned on this host. A hidden directory becomes an empty tmpfs, read-only so that it
 * cannot become the process's scratch space; a hidden file becomes /dev/null, which bwrap binds
 * `nodev`, so it cannot even be opened. `extraReadOnly` are files re-exposed read-only after everything
 * else (resolv.conf, when it lives under the hidden /run and the network is shared).
 */
export function bwrapArguments(
  plan: MountPlan,
  policy: Pick<ConfinementPolicy, "network" | "env" | "cwd" | "limits">,
  argv: readonly string[],
  extraReadOnly: readonly string[] = [],
): string[] {
  const args = [...ISOLATION];
  if (policy.network === "none") args.push("--unshare-net");
  args.push(...BASE_MOUNTS);
  // Hidden directories are made read-only last: bwrap creates the workspace's mount point inside
  // the tmpfs that hides the state dir, which it cannot once that tmpfs is read-only.
  const readOnlyLast: string[] = [];
  const hide = (hidden: HiddenPath) => {
    if (hidden.kind === "file") {
      args.push("--ro-bind", "/dev/null", hidden.path);
    } else {
      args.push("--tmpfs", hidden.path);
      readOnlyLast.push(hidden.path);
    }
  };
  for (const path of plan.systemTmpfs) {
    if (path === "/tmp") args.push("--size", String(policy.limits.maxFileBytes), "--tmpfs", path);
    else hide({ path, kind: "directory" });
  }
  plan.hiddenAround.forEach(hide);
  for (const directory of plan.writable) args.push("--bind", directory, directory);
  plan.hiddenInside.forEach(hide);
  for (const path of extraReadOnly) args.push("--ro-bind", path, path);
  for (const path of readOnlyLast) args.push("--remount-ro", path);
  args.push("--chdir", policy.cwd, "--clearenv");
  for (const [name, value] of Object.entries(policy.env)) args.push("--setenv", name, value);
  args.push("--", ...argv);
  return args;
}
