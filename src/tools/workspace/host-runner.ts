import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { StringDecoder } from "node:string_decoder";
import type { CommandResult, CommandRunner } from "./workspace-types.js";

/** The whole environment of a host command: nothing of the gateway's, whose env holds secrets. */
function hostCommandEnvironment(root: string): NodeJS.ProcessEnv {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: root, LANG: "C.UTF-8" };
}

/** After the shell exits, how long to wait for its output pipes to close before giving up on them. */
const PIPE_CLOSE_GRACE_MS = 1000;

/**
 * Runs commands directly on the host, for agents without a sandbox. This is not isolation: the
 * command can read anything the gateway's user can. What it does guarantee is that the command
 * sees none of the gateway's environment, starts in the workspace root, and leaves nothing
 * running: the shell leads its own process group, and the whole group is killed at the timeout,
 * on abort, and once the shell has exited (background jobs included). A process that leaves the
 * group on purpose (setsid) escapes this; only a sandbox prevents that.
 */
export function createHostCommandRunner(root: string): CommandRunner {
  return {
    async run({ command, timeoutMs, maxOutputBytes, signal }) {
      signal?.throwIfAborted();
      const started = performance.now();
      return new Promise<CommandResult>((resolve, reject) => {
        const child = spawn("/bin/sh", ["-c", command], {
          cwd: root,
          env: hostCommandEnvironment(root),
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const stdout = new CappedOutput(maxOutputBytes);
        const stderr = new CappedOutput(maxOutputBytes);
        child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));

        let timedOut = false;
        let pipeGrace: NodeJS.Timeout | undefined;
        const killGroup = () => {
          if (child.pid === undefined) return;
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // ESRCH: the group is already gone.
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          killGroup();
        }, timeoutMs);
        signal?.addEventListener("abort", killGroup, { once: true });
        const cleanUp = () => {
          clearTimeout(timer);
          clearTimeout(pipeGrace);
          signal?.removeEventListener("abort", killGroup);
        };

        child.on("error", (error) => {
          cleanUp();
          killGroup();
          reject(error);
        });
        child.on("exit", () => {
          killGroup();
          // Killing the group closes the pipes, unless a process left the group and holds them.
          pipeGrace = setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
          }, PIPE_CLOSE_GRACE_MS);
        });
        child.on("close", (code) => {
          cleanUp();
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
            durationMs: Math.round(performance.now() - started),
          });
        });
      });
    },
  };
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
