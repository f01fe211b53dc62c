import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { missingBwrapFix, missingPrlimitFix, sandboxRefusedFix, UNBOUNDED_PIDS_FIX } from "./availability.js";
import { isExecutable, locateProgram } from "./bwrap-locator.js";
import { type ConfinedProcess, confinedArgv, launch, type Setup, SPAWN_ENV } from "./confined-launch.js";
import { type ConfinementPolicy, DEFAULT_CONFINEMENT_LIMITS } from "./confinement-policy.js";
import {
  findPidsCgroup,
  type PidsBound,
  type PidsCgroupParent,
  pidsCgroupCandidates,
} from "./pids-cgroup.js";

export interface ProbeOptions {
  /** The bwrap program to use instead of looking for one (tests inject a missing one). */
  bwrapPath?: string;
  /** Directories searched for bwrap after /usr/bin and /usr/local/bin: the gateway's PATH. */
  searchPath?: string;
  /** Where per-call pids cgroups may go, instead of this process's own cgroups; `[]`: none. */
  pidsCgroups?: readonly PidsCgroupParent[];
}

const PROBE_TIMEOUT_MS = 10_000;

/**
 * Finds bwrap, prlimit and a pids cgroup, then runs one trivial command confined exactly as the
 * calls will be: bwrap present is not bwrap working (a container's seccomp, user namespaces off).
 */
export async function probe(options: ProbeOptions): Promise<Setup> {
  const bwrapPath = options.bwrapPath ?? (await locateProgram("bwrap", options.searchPath));
  if (!bwrapPath) {
    return unavailable(
      "bubblewrap (bwrap) is not installed: not in /usr/bin, /usr/local/bin or the gateway's PATH",
      missingBwrapFix(),
    );
  }
  if (!(await isExecutable(bwrapPath))) {
    return unavailable(`bubblewrap is not installed: ${bwrapPath} is not an executable`, missingBwrapFix());
  }
  // prlimit runs inside the sandbox, so only the system's copy will do.
  const prlimitPath = await locateProgram("prlimit", undefined, ["/usr/bin", "/bin"]);
  if (!prlimitPath) return unavailable("prlimit is not installed in /usr/bin or /bin", missingPrlimitFix());

  const cgroup = await findPidsCgroup(options.pidsCgroups ?? (await ownPidsCgroupCandidates()));
  const version = await bwrapVersion(bwrapPath);
  const trial = async (withCgroup: PidsCgroupParent | undefined): Promise<Setup> => {
    const pidsBound: PidsBound = withCgroup?.bound ?? (process.getuid?.() === 0 ? "none" : "rlimit");
    const setup: Setup = {
      availability: {
        available: true,
        reason: `${version} at ${bwrapPath}`,
        fix: pidsBound === "none" ? UNBOUNDED_PIDS_FIX : undefined,
        pidsBound,
      },
      bwrapPath,
      prlimitPath,
      ...(withCgroup ? { cgroup: withCgroup } : {}),
    };
    const failure = await trialRun(setup);
    return failure === undefined
      ? setup
      : unavailable(`${bwrapPath} cannot create its sandbox here: ${failure}`, sandboxRefusedFix());
  };
  const confined = await trial(cgroup);
  // A cgroup that takes a test child but not our process is no reason to refuse: fall back.
  if (!confined.availability.available && cgroup) {
    const withoutCgroup = await trial(undefined);
    if (withoutCgroup.availability.available) return withoutCgroup;
  }
  return confined;
}

function unavailable(reason: string, fix: string): Setup {
  return { availability: { available: false, reason, fix, pidsBound: "none" } };
}

async function ownPidsCgroupCandidates(): Promise<PidsCgroupParent[]> {
  const [membership, mounts] = await Promise.all([
    readFile("/proc/self/cgroup", "utf8").catch(() => ""),
    readFile("/proc/self/mountinfo", "utf8").catch(() => ""),
  ]);
  return pidsCgroupCandidates(membership, mounts);
}

async function bwrapVersion(bwrapPath: string): Promise<string> {
  const { stdout } = await collect(spawn(bwrapPath, ["--version"], { env: SPAWN_ENV }), PROBE_TIMEOUT_MS);
  return stdout.trim() || "bubblewrap";
}

/** Runs `exit 0` confined as every call will be; undefined when that worked, else bwrap's complaint. */
async function trialRun(setup: Setup): Promise<string | undefined> {
  const policy: ConfinementPolicy = {
    writable: [],
    hidden: [],
    network: "none",
    limits: DEFAULT_CONFINEMENT_LIMITS,
    env: {},
    cwd: "/",
  };
  let confined: ConfinedProcess;
  try {
    const { argv, cgroup } = await confinedArgv(setup, ["/bin/sh", "-c", "exit 0"], policy);
    confined = launch(argv, cgroup, ["ignore", "pipe", "pipe"]);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    const { code, stderr } = await collect(confined.child, PROBE_TIMEOUT_MS);
    if (code === 0) return undefined;
    return stderr.trim().split("\n")[0] || `exit code ${code}`;
  } finally {
    await confined.release();
  }
}

function collect(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr || error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr || (code === null ? `killed after ${timeoutMs} ms` : "") });
    });
  });
}
