import { describe, expect, it } from "vitest";
import { parseCgroupMembership, parseCgroupMounts, pidsCgroupCandidates } from "./pids-cgroup.js";

const HYBRID_CGROUP = ["9:name=systemd:/", "8:pids:/gw", "4:memory:/x", "0::/gw", ""].join("\n");
const HYBRID_MOUNTS = [
  "35 30 0:31 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
  "36 35 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
  "42 35 0:38 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
  "43 35 0:39 / /sys/fs/cgroup/cpu\\040acct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
].join("\n");

describe("pids cgroup discovery", () => {
  it("reads this process's cgroups, v2 and the v1 pids hierarchy", () => {
    expect(parseCgroupMembership(HYBRID_CGROUP)).toEqual({ v2: "/gw", v1Pids: "/gw" });
    expect(parseCgroupMembership("5:cpu,pids:/a\n")).toEqual({ v1Pids: "/a" });
  });

  it("finds where the hierarchies are mounted, unescaping mount paths", () => {
    expect(parseCgroupMounts(HYBRID_MOUNTS)).toEqual({
      v2: { mountPoint: "/sys/fs/cgroup/unified", root: "/" },
      v1Pids: { mountPoint: "/sys/fs/cgroup/pids", root: "/" },
    });
    expect(parseCgroupMounts("50 1 0:40 / /mnt/cg\\040x rw - cgroup2 cgroup2 rw").v2?.mountPoint).toBe(
      "/mnt/cg x",
    );
  });

  it("offers v2 first, then v1, each at this process's own cgroup", () => {
    expect(pidsCgroupCandidates(HYBRID_CGROUP, HYBRID_MOUNTS)).toEqual([
      { bound: "cgroup-v2", directory: "/sys/fs/cgroup/unified/gw" },
      { bound: "cgroup-v1", directory: "/sys/fs/cgroup/pids/gw" },
    ]);
  });

  it("skips a cgroup the mount does not show (mounted from inside another namespace)", () => {
    const mounts = "36 35 0:32 /other /sys/fs/cgroup rw - cgroup2 cgroup2 rw";
    expect(pidsCgroupCandidates("0::/gw\n", mounts)).toEqual([]);
    expect(pidsCgroupCandidates("0::/other/gw\n", mounts)).toEqual([
      { bound: "cgroup-v2", directory: "/sys/fs/cgroup/gw" },
    ]);
    expect(pidsCgroupCandidates("", "")).toEqual([]);
  });
});
