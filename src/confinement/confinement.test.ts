import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostProcessesWith } from "../../test/support/host-processes.js";
import { isOpenClawError } from "../errors.js";
import { UNBOUNDED_PIDS_FIX } from "./availability.js";
import { type Confinement, createConfinement } from "./confinement.js";
import { type ConfinementPolicy, DEFAULT_CONFINEMENT_LIMITS } from "./confinement-policy.js";

// Outside /tmp on purpose: the confined /tmp is a fresh tmpfs, which would hide it for free.
let base: string;
let workspace: string;
let hiddenDirectory: string;
const confinement = createConfinement();

beforeAll(async () => {
  base = await realpath(await mkdtemp("/var/tmp/openclaw-confinement-"));
  workspace = join(base, "state", "workspace", "main");
  hiddenDirectory = join(base, "state");
  await mkdir(workspace, { recursive: true });
  await writeFile(join(base, "state", "gateway-token"), "token-canary-4417\n");
  await writeFile(join(workspace, "api.key"), "key-canary-8213\n");
});
afterAll(() => rm(base, { recursive: true, force: true }));

function policyFor(overrides: Partial<ConfinementPolicy> = {}): ConfinementPolicy {
  return {
    writable: [workspace],
    hidden: [hiddenDirectory, join(workspace, "api.key")],
    network: "none",
    limits: DEFAULT_CONFINEMENT_LIMITS,
    env: { PATH: "/usr/bin:/bin" },
    cwd: workspace,
    ...overrides,
  };
}

async function run(
  command: string,
  policy = policyFor(),
  using: Confinement = confinement,
): Promise<{ code: number | null; output: string }> {
  const confined = await using.spawn(["/bin/sh", "-c", command], policy);
  let output = "";
  confined.child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  confined.child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => confined.child.on("close", resolve));
  await confined.release();
  return { code, output };
}

describe("availability", () => {
  it("is unavailable, with the install command and the opt-out, when bwrap is missing", async () => {
    const missing = createConfinement({ bwrapPath: join(base, "no-bwrap-here") });
    const availability = await missing.availability();
    expect(availability).toMatchObject({ available: false, pidsBound: "none" });
    expect(availability.reason).toContain("not an executable");
    expect(availability.fix).toContain("apt-get install bubblewrap");
    expect(availability.fix).toContain('sandbox.host.confinement to "unconfined"');
    const error = await missing.spawn(["/bin/true"], policyFor()).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CONFINEMENT_UNAVAILABLE");
    expect(isOpenClawError(error) && error.spec.status).toBe(503);
  });

  it("is unavailable, with the reason bwrap gives, when it cannot build its sandbox here", async () => {
    const refusing = join(base, "refusing-bwrap");
    await writeFile(
      refusing,
      '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 9.9"; exit 0; }\n' +
        'echo "bwrap: No permissions to create new namespace" >&2; exit 1\n',
      { mode: 0o755 },
    );
    const availability = await createConfinement({ bwrapPath: refusing }).availability();
    expect(availability.available).toBe(false);
    expect(availability.reason).toBe(
      `${refusing} cannot create its sandbox here: bwrap: No permissions to create new namespace`,
    );
    expect(availability.fix).toMatch(process.getuid?.() === 0 ? /in a container/ : /user namespaces/);
    expect(availability.fix).toContain('"unconfined"');
  });

  it("is available here, with how pids are bounded", async () => {
    const availability = await confinement.availability();
    expect(availability.available, availability.reason).toBe(true);
    expect(availability.reason).toMatch(/^bubblewrap \S+ at \//);
    expect(["cgroup-v2", "cgroup-v1", "rlimit", "none"]).toContain(availability.pidsBound);
  });

  it("says so, with the fix, when pids cannot be bounded (root without a writable pids cgroup)", async () => {
    const availability = await createConfinement({ pidsCgroups: [] }).availability();
    expect(availability.available).toBe(true);
    if (process.getuid?.() === 0) {
      expect(availability).toMatchObject({ pidsBound: "none", fix: UNBOUNDED_PIDS_FIX });
    } else {
      expect(availability.pidsBound).toBe("rlimit");
    }
  });
});

describe("a confined process", () => {
  it("cannot read what is hidden, around or inside its workspace, and writes only the workspace", async () => {
    const { output } = await run(
      `cat ${hiddenDirectory}/gateway-token api.key; ls -a ${hiddenDirectory}; echo ok > made.txt && cat made.txt; ` +
        `touch ${base}/outside.txt ${base}/state/made.txt 2>&1 | grep -c 'Read-only'`,
    );
    expect(output).not.toMatch(/canary/);
    expect(output).toContain("ok\n");
    expect(output.trim().split("\n").at(-1)).toBe("2");
    expect(await readFile(join(workspace, "made.txt"), "utf8")).toBe("ok\n");
    expect(existsSync(join(base, "outside.txt"))).toBe(false);
  });

  it("sees a program installed under /tmp read-only when asked, but never a hidden path through it", async () => {
    const installed = await realpath(await mkdtemp("/tmp/openclaw-program-"));
    try {
      await writeFile(join(installed, "tool.sh"), "echo program-ran\n");
      await writeFile(join(installed, "secret.txt"), "program-secret-canary\n");
      // Without readOnly, /tmp is a fresh tmpfs: the program is not there.
      expect((await run(`sh ${installed}/tool.sh`)).output).not.toContain("program-ran");
      const shown = await run(`sh ${installed}/tool.sh; touch ${installed}/new 2>&1 | grep -c Read-only`, {
        ...policyFor(),
        readOnly: [installed],
      });
      expect(shown.output).toContain("program-ran");
      expect(shown.output.trim().split("\n").at(-1)).toBe("1");
      // A directory that holds (or is inside) a hidden path is not re-exposed.
      const refused = await run(`cat ${installed}/secret.txt; sh ${installed}/tool.sh`, {
        ...policyFor(),
        hidden: [hiddenDirectory, join(installed, "secret.txt")],
        readOnly: [installed],
      });
      expect(refused.output).not.toMatch(/canary|program-ran/);
    } finally {
      await rm(installed, { recursive: true, force: true });
    }
  });

  it("cannot umount what hides a path, even in a user namespace of its own", async () => {
    const { output } = await run(
      `umount ${hiddenDirectory} 2>&1; echo "umount=$?"; unshare -Urm umount ${hiddenDirectory} 2>&1; echo "unshare=$?"; ` +
        `cat ${hiddenDirectory}/gateway-token 2>&1; grep CapEff /proc/self/status`,
    );
    expect(output).toMatch(/umount=[1-9]/);
    expect(output).toMatch(/unshare=[1-9]/);
    expect(output).not.toContain("token-canary");
    expect(output).toMatch(/CapEff:\s+0+\n/);
  });

  it("cannot write /sys, /proc/sys or the cgroup files", async () => {
    const { output } = await run(
      "for target in /proc/sys/kernel/core_pattern /proc/sys/vm/swappiness /sys/kernel/mm/ksm/run " +
        "/sys/fs/cgroup/pids/cgroup.procs /sys/fs/cgroup/cgroup.procs; do " +
        '[ -e "$target" ] || continue; if (cat "$target" > "$target") 2>/dev/null; then echo "wrote $target"; ' +
        'else echo "refused $target"; fi; done',
    );
    expect(output).not.toContain("wrote");
    expect(output).toContain("refused /proc/sys/kernel/core_pattern");
  });

  it("sees only its own processes and, by default, only its own loopback", async () => {
    const { output } = await run("ls /proc | grep -c '^[0-9]'; grep -c : /proc/net/dev");
    const [processes, interfaces] = output.trim().split("\n").map(Number);
    expect(processes).toBeLessThan(8);
    expect(interfaces).toBe(1);
    const shared = await run("grep -c : /proc/net/dev", policyFor({ network: "host" }));
    expect(Number(shared.output.trim())).toBeGreaterThanOrEqual(1);
  });

  it("takes everything it started with it: when it exits, and when bwrap is killed", async () => {
    const exited = `31.${process.pid}1`;
    await run(`setsid sleep ${exited} >/dev/null 2>&1 & (sleep ${exited} &) ; echo started`);
    expect(await hostProcessesWith(exited)).toBe(0);

    const killed = `31.${process.pid}2`;
    const confined = await confinement.spawn(
      ["/bin/sh", "-c", `setsid sleep ${killed} >/dev/null 2>&1 & sleep ${killed}`],
      policyFor(),
    );
    const closed = new Promise((resolve) => confined.child.on("close", resolve));
    const deadline = Date.now() + 5000;
    while ((await hostProcessesWith(killed)) < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await hostProcessesWith(killed)).toBe(2);
    confined.kill();
    await closed;
    await confined.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await hostProcessesWith(killed)).toBe(0);
  });

  it("is bounded in processes, file size and CPU", async () => {
    const availability = await confinement.availability();
    const limits = { pids: 24, cpuSeconds: 1, maxFileBytes: 64 * 1024, openFiles: 64 };
    // sh gives up at the first fork that fails; the sleeps then die with the namespace.
    const forks = await run("for i in $(seq 1 60); do sleep 5 >/dev/null 2>&1 & done; echo all-started", {
      ...policyFor({ limits }),
    });
    if (availability.pidsBound !== "none") {
      expect(forks.output).toMatch(/fork/i);
      expect(forks.output).not.toContain("all-started");
    }
    const { output } = await run(
      "head -c 200000 /dev/zero > big.bin; echo size=$(wc -c < big.bin); echo files=$(ulimit -n); " +
        "sh -c 'while :; do :; done'; echo cpu-killed=$?",
      policyFor({ limits }),
    );
    expect(output).toContain(`size=${64 * 1024}`);
    expect(output).toContain("files=64");
    // SIGKILL at the hard limit (soft = hard), or SIGXCPU first.
    expect(output).toMatch(/cpu-killed=(137|152|158)/);
  }, 20_000);

  it("removes its cgroup after the call", async () => {
    const { argv, cgroup } = await confinement.command(["/bin/true"], policyFor());
    if (!cgroup) return;
    expect(argv.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(argv).toContain(cgroup.directory);
    expect(existsSync(cgroup.directory)).toBe(true);
    await cgroup.remove();
    expect(existsSync(cgroup.directory)).toBe(false);
  });
});
