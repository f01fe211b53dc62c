import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { realpath } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { StringDecoder } from "node:string_decoder";
import {
  type Confinement,
  type ConfinementLimits,
  createConfinement,
  DEFAULT_CONFINEMENT_LIMITS,
  type NetworkAccess,
} from "../../confinement/index.js";
import type { CommandResult, CommandRunner, StartedCommand } from "./workspace-types.js";

/** The whole environment of a host command: nothing of the gateway's, whose env holds secrets. */
function hostCommandEnvironment(root: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: root, LANG: "C.UTF-8" };
}

/** After the shell exits, how long to wait for its output pipes to close before giving up on them. */
const PIPE_CLOSE_GRACE_MS = 1000;

export interface HostRunnerOptions {
  /**
   * `bubblewrap` (the default): each command runs confined (see src/confinement), and is refused
   * when that is not possible here. `unconfined`: the explicit opt-in to a plain process group.
   */
  confinement?: "bubblewrap" | "unconfined";
  /** Default `none`: only the sandbox's own loopback. */
  network?: NetworkAccess;
  limits?: ConfinementLimits;
  /** Host paths a confined command never sees: the gateway's state and config, secrets, HOME. */
  hidden?: readonly string[];
  /** Where bwrap is found and how it is probed; tests inject one. */
  bubblewrap?: Confinement;
}

/** A started command: how to kill all of it, and what to clean up once it has exited. */
interface Launched extends StartedCommand {
  child: ChildProcess;
}

/**
 * Runs commands on the host for agents without a Docker sandbox, in the workspace root, with an
 * empty environment. Confined (the default), the command cannot see the gateway's files, secrets
 * or processes, has no network, bounded pids, CPU, file size and open files, and everything it
 * starts dies with it (its pid namespace goes when the shell exits or is killed). Unconfined, it
 * runs as the gateway's user and can read whatever that user can; its process group is killed at
 * the end, but a process that leaves the group (setsid) escapes that.
 */
export function createHostCommandRunner(root: string, options: HostRunnerOptions = {}): CommandRunner {
  const confined = (options.confinement ?? "bubblewrap") === "bubblewrap";
  const bubblewrap = confined ? (options.bubblewrap ?? createConfinement()) : undefined;

  const launch = async (command: string, stdio?: StdioOptions): Promise<Launched> => {
    if (!bubblewrap) return launchUnconfined(root, command, stdio);
    const realRoot = await realpath(root);
    return bubblewrap.spawn(
      ["/bin/sh", "-c", command],
      {
        writable: [realRoot],
        hidden: options.hidden ?? [],
        network: options.network ?? "none",
        limits: options.limits ?? DEFAULT_CONFINEMENT_LIMITS,
        env: hostCommandEnvironment(realRoot),
        cwd: realRoot,
      },
      stdio ? { stdio } : {},
    );
  };

  return {
    async run({ command, timeoutMs, maxOutputBytes, signal }) {
      signal?.throwIfAborted();
      const started = performance.now();
      const launched = await launch(command);
      return supervise(launched, { timeoutMs, maxOutputBytes, signal, started });
    },
    // A background process is confined exactly like a command; its owner supervises it.
    start: (command) => launch(command, ["pipe", "pipe", "pipe"]),
  };
}

function launchUnconfined(root: string, command: string, stdio?: StdioOptions): Launched {
  const child = spawn("/bin/sh", ["-c", command], {
    cwd: root,
    env: hostCommandEnvironment(root),
    detached: true,
    stdio: stdio ?? ["ignore", "pipe", "pipe"],
  });
  const kill = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  return { child, kill, release: async () => kill() };
}

/**
 * Collects the output and enforces the guarantees: everything is killed at the timeout, on
 * abort, and once the shell has exited (background jobs included); the pipes are closed even if
 * something holds them; the result waits for the call's cleanup.
 */
function supervise(
  { child, kill, release }: Launched,
  request: { timeoutMs: number; maxOutputBytes: number; signal: AbortSignal | undefined; started: number },
): Promise<CommandResult> {
  const { signal } = request;
  return new Promise<CommandResult>((resolve, reject) => {
    const stdout = new CappedOutput(request.maxOutputBytes);
    const stderr = new CappedOutput(request.maxOutputBytes);
    child.stdout?.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.add(chunk));

    let timedOut = false;
    let pipeGrace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    signal?.addEventListener("abort", kill, { once: true });
    if (signal?.aborted) kill();
    const cleanUp = () => {
      clearTimeout(timer);
      clearTimeout(pipeGrace);
      signal?.removeEventListener("abort", kill);
    };

    child.on("error", (error) => {
      cleanUp();
      kill();
      void release().finally(() => reject(error));
    });
    child.on("exit", () => {
      kill();
      // Killing everything closes the pipes, unless a process escaped and holds them.
      pipeGrace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_CLOSE_GRACE_MS);
    });
    child.on("close", (code) => {
      cleanUp();
      void release().finally(() => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        resolve({
          exitCode: code,
          stdout: stdout.text(),
          stderr: stderr.text(),
          timedOut,
          truncated: stdout.truncated || stderr.truncated,
          durationMs: Math.round(performance.now() - request.started),
        });
      });
    });
  });
}

/** Keeps the first `limit` bytes of a stream and drops the rest, so the writer never blocks. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    // StringDecoder.write holds back a character cut in half at the cap instead of mangling it.
    return new StringDecoder("utf8").write(Buffer.concat(this.chunks));
  }
}
