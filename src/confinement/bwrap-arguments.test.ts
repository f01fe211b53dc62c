import { describe, expect, it } from "vitest";
import { bwrapArguments } from "./bwrap-arguments.js";
import { type ConfinementPolicy, DEFAULT_CONFINEMENT_LIMITS } from "./confinement-policy.js";
import { planMounts } from "./mount-plan.js";
import { prlimitArguments } from "./resource-limits.js";

const policy: Pick<ConfinementPolicy, "network" | "env" | "cwd" | "limits"> = {
  network: "none",
  env: { PATH: "/usr/bin:/bin", HOME: "/srv/state/workspace/main" },
  cwd: "/srv/state/workspace/main",
  limits: DEFAULT_CONFINEMENT_LIMITS,
};

const plan = planMounts(
  ["/srv/state/workspace/main"],
  [
    { path: "/srv/state", kind: "directory" },
    { path: "/etc/openclaw/key", kind: "file" },
    { path: "/srv/state/workspace/main/api.key", kind: "file" },
  ],
);

describe("bwrapArguments", () => {
  it("builds the whole argv of a typical policy, mounts in order", () => {
    expect(bwrapArguments(plan, policy, ["/bin/sh", "-c", "ls"])).toEqual([
      "--die-with-parent",
      "--new-session",
      "--unshare-pid",
      "--unshare-ipc",
      "--unshare-uts",
      "--unshare-cgroup-try",
      "--cap-drop",
      "ALL",
      "--unshare-net",
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--remount-ro",
      "/proc",
      "--size",
      String(256 * 1024 * 1024),
      "--tmpfs",
      "/tmp",
      "--tmpfs",
      "/run",
      "--ro-bind",
      "/dev/null",
      "/etc/openclaw/key",
      "--tmpfs",
      "/srv/state",
      "--bind",
      "/srv/state/workspace/main",
      "/srv/state/workspace/main",
      "--ro-bind",
      "/dev/null",
      "/srv/state/workspace/main/api.key",
      // Read-only only now: the workspace's mount point had to be made inside /srv/state's tmpfs.
      "--remount-ro",
      "/run",
      "--remount-ro",
      "/srv/state",
      "--chdir",
      "/srv/state/workspace/main",
      "--clearenv",
      "--setenv",
      "PATH",
      "/usr/bin:/bin",
      "--setenv",
      "HOME",
      "/srv/state/workspace/main",
      "--",
      "/bin/sh",
      "-c",
      "ls",
    ]);
  });

  it("shares the network only when the policy says host, and re-exposes what it is given read-only", () => {
    const shared = bwrapArguments(
      plan,
      { ...policy, network: "host" },
      ["true"],
      ["/run/resolvconf/resolv.conf"],
    );
    expect(shared).not.toContain("--unshare-net");
    const at = shared.indexOf("/run/resolvconf/resolv.conf");
    expect(shared.slice(at - 1, at + 2)).toEqual([
      "--ro-bind",
      "/run/resolvconf/resolv.conf",
      "/run/resolvconf/resolv.conf",
    ]);
    // Before /run is made read-only: its mount point is created in /run's tmpfs.
    expect(at).toBeLessThan(shared.indexOf("--remount-ro", shared.indexOf("/proc") + 2));
    expect(bwrapArguments(plan, policy, ["true"])).toContain("--unshare-net");
  });

  it("sizes the private /tmp by the file size limit", () => {
    const small = bwrapArguments(plan, { ...policy, limits: { ...policy.limits, maxFileBytes: 1024 } }, [
      "true",
    ]);
    expect(small.slice(small.indexOf("/tmp") - 3, small.indexOf("/tmp") + 1)).toEqual([
      "--size",
      "1024",
      "--tmpfs",
      "/tmp",
    ]);
  });
});

describe("prlimitArguments", () => {
  it("sets CPU, file size, open files and no core dumps; processes only when asked", () => {
    const limits = { pids: 64, cpuSeconds: 5, maxFileBytes: 1_048_576, openFiles: 128 };
    expect(
      prlimitArguments("/usr/bin/prlimit", limits, ["/bin/sh", "-c", "x"], { processLimit: false }),
    ).toEqual([
      "/usr/bin/prlimit",
      "--cpu=5",
      "--fsize=1048576",
      "--nofile=128",
      "--core=0",
      "--",
      "/bin/sh",
      "-c",
      "x",
    ]);
    expect(prlimitArguments("/usr/bin/prlimit", limits, ["true"], { processLimit: true })).toContain(
      "--nproc=64",
    );
  });
});
