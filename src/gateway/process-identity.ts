import { existsSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Which process instance a pid was: a pid is reused once its process is gone, the pair of boot
 * and start time is not. `startTicks` is field 22 of `/proc/<pid>/stat` (clock ticks since boot).
 */
export interface ProcessIdentity {
  bootId: string;
  startTicks: number;
}

export type ProcessVerdict =
  /** The pid is the gateway that wrote the state file: it may be reported and signalled. */
  | { kind: "gateway" }
  /** No such process (or one that has exited and awaits its parent). */
  | { kind: "gone" }
  /** A live process, but not that gateway: never to be signalled. */
  | { kind: "other"; reason: string };

const PROC_ROOT = "/proc";

function procAvailable(): boolean {
  return existsSync(`${PROC_ROOT}/self/stat`);
}

function readBootId(): string | undefined {
  try {
    return readFileSync(`${PROC_ROOT}/sys/kernel/random/boot_id`, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function readStat(pid: number): { state: string; startTicks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`${PROC_ROOT}/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const startTicks = Number(fields[19]);
  if (fields[0] === undefined || !Number.isSafeInteger(startTicks)) return undefined;
  return { state: fields[0], startTicks };
}

function readCommandLine(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`${PROC_ROOT}/${pid}/cmdline`, "utf8");
    return text.split("\0").filter((argument, index, all) => argument !== "" || index < all.length - 1);
  } catch {
    return undefined;
  }
}

/** Which process instance `pid` is now; undefined where there is no /proc (macOS) or no such pid. */
export function processIdentityOf(pid: number): ProcessIdentity | undefined {
  const bootId = readBootId();
  const stat = readStat(pid);
  return bootId && stat ? { bootId, startTicks: stat.startTicks } : undefined;
}

/** This process's identity, for gateway.json. */
export function ownProcessIdentity(): ProcessIdentity | undefined {
  return processIdentityOf(process.pid);
}

/**
 * Whether a command line is our CLI's `gateway run`: the entry script (dist/bundle/main.js,
 * dist/cli/main.js, the `openclaw` launcher, or src/cli/main.ts under a TypeScript runner)
 * followed by `gateway run`.
 */
export function isGatewayCommandLine(argv: readonly string[]): boolean {
  const run = argv.findIndex((argument, index) => argument === "gateway" && argv[index + 1] === "run");
  if (run < 1) return false;
  return argv.slice(0, run).some((argument) => {
    const name = basename(argument);
    if (name === "openclaw" || name === "openclaw.mjs") return true;
    const folder = basename(dirname(argument));
    return (name === "main.js" || name === "main.ts") && (folder === "cli" || folder === "bundle");
  });
}

function describeCommandLine(argv: readonly string[]): string {
  const text = argv.join(" ");
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Whether `pid` is still the gateway that recorded `identity` (undefined for a state file from a
 * version that did not record it). On Linux the start time, the boot and the command line are
 * checked; without /proc only that the pid is alive, as nothing else can be read portably.
 */
export function checkGatewayProcess(pid: number, identity: ProcessIdentity | undefined): ProcessVerdict {
  if (!Number.isSafeInteger(pid) || pid <= 1)
    return { kind: "other", reason: `pid ${pid} is not a gateway's` };
  if (!procAvailable()) return aliveBySignal(pid) ? { kind: "gateway" } : { kind: "gone" };
  const stat = readStat(pid);
  // Z: exited, not reaped yet (it still answers kill(0)); X: being torn down.
  if (!stat || stat.state === "Z" || stat.state === "X") return { kind: "gone" };
  if (identity) {
    const bootId = readBootId();
    if (bootId && bootId !== identity.bootId)
      return { kind: "other", reason: "the file is from before the last reboot" };
    if (stat.startTicks !== identity.startTicks)
      return { kind: "other", reason: `pid ${pid} now belongs to a process that started later` };
  }
  const argv = readCommandLine(pid);
  if (!argv) {
    // Start time and boot matched: the same process, whose command line we may not read.
    return identity
      ? { kind: "gateway" }
      : { kind: "other", reason: `cannot read pid ${pid}'s command line` };
  }
  if (!isGatewayCommandLine(argv))
    return {
      kind: "other",
      reason: `pid ${pid} runs "${describeCommandLine(argv)}", not openclaw gateway run`,
    };
  return { kind: "gateway" };
}

function aliveBySignal(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
