import { randomUUID } from "node:crypto";
import { isOpenClawError } from "../../errors.js";
import { ToolInputError } from "../tool.js";
import type { CommandRunner, StartedCommand } from "../workspace/workspace-types.js";
import { OutputBuffer } from "./output-buffer.js";
import type { ProcessInfo, SessionProcesses } from "./session-processes.js";

export interface ProcessLimits {
  /** Processes of the agent (all its sessions) running at once. */
  maxPerAgent: number;
  /** No background process lives longer than this, whatever timeoutSeconds asks. */
  maxRuntimeMs: number;
  /** Characters kept of each of stdout and stderr. */
  outputChars: number;
}

export const DEFAULT_PROCESS_LIMITS: ProcessLimits = {
  maxPerAgent: 8,
  maxRuntimeMs: 30 * 60_000,
  outputChars: 64 * 1024,
};

/** How long a kill waits for the process's pipes to close. */
const CLOSE_GRACE_MS = 2000;

interface Entry {
  info: ProcessInfo;
  sessionKey: string;
  started: StartedCommand;
  stdout: OutputBuffer;
  stderr: OutputBuffer;
  cursor: { stdout: number; stderr: number };
  timer: NodeJS.Timeout;
  closed: Promise<void>;
}

/**
 * The background processes of one agent, owned by its runtime (in the agent's worker, or on the
 * main thread for a shared agent). Keyed by chat session: each session's tools get a view that
 * finds only its own processes. Everything is killed when the session ends, when the runtime is
 * shut down, at the process's timeout, and at the maximum runtime.
 */
export class BackgroundProcesses {
  private readonly entries = new Map<string, Entry>();
  private listener: ((pid: number, running: boolean) => void) | undefined;

  constructor(
    /** Where processes start; undefined (a sandboxed agent) refuses them. */
    private readonly runner: Pick<CommandRunner, "start"> | undefined,
    private readonly limits: ProcessLimits = DEFAULT_PROCESS_LIMITS,
    /** Why there is no runner, for the refusal. */
    private readonly unavailableReason = "its commands run in the Docker sandbox",
  ) {}

  forSession(sessionKey: string): SessionProcesses {
    const find = (sessionId: string): Entry => {
      const entry = this.entries.get(sessionId);
      // Another session's process is reported exactly like one that never existed.
      if (!entry || entry.sessionKey !== sessionKey) {
        throw new ToolInputError(`no background process "${sessionId}" in this session; use process list`);
      }
      return entry;
    };
    return {
      start: (command, options) => this.start(sessionKey, command, options.timeoutMs),
      poll: (sessionId) => {
        const entry = find(sessionId);
        const stdout = entry.stdout.readFrom(entry.cursor.stdout);
        const stderr = entry.stderr.readFrom(entry.cursor.stderr);
        entry.cursor = { stdout: entry.stdout.end, stderr: entry.stderr.end };
        return {
          ...entry.info,
          stdout: stdout.text,
          stderr: stderr.text,
          missed: stdout.missed + stderr.missed,
        };
      },
      log: (sessionId, maxChars = this.limits.outputChars) => {
        const entry = find(sessionId);
        return {
          ...entry.info,
          stdout: entry.stdout.tail(maxChars),
          stderr: entry.stderr.tail(maxChars),
          missed: 0,
        };
      },
      write: async (sessionId, data, options = {}) => {
        const entry = find(sessionId);
        const stdin = entry.started.child.stdin;
        if (entry.info.status !== "running" || !stdin || stdin.destroyed || stdin.writableEnded) {
          throw new ToolInputError(`background process "${sessionId}" does not take input any more`);
        }
        await new Promise<void>((resolve, reject) =>
          stdin.write(data, (error) => (error ? reject(error) : resolve())),
        );
        if (options.close) stdin.end();
      },
      kill: async (sessionId) => {
        const entry = find(sessionId);
        await this.stop(entry, "requested");
        return { ...entry.info };
      },
      list: () =>
        [...this.entries.values()]
          .filter((entry) => entry.sessionKey === sessionKey)
          .map((entry) => ({ ...entry.info })),
    };
  }

  /** Kills every process of `sessionKey` and forgets them: the session has ended. */
  async endSession(sessionKey: string): Promise<void> {
    const ended = [...this.entries.values()].filter((entry) => entry.sessionKey === sessionKey);
    await Promise.all(ended.map((entry) => this.stop(entry, "shutdown")));
    for (const entry of ended) this.entries.delete(entry.info.sessionId);
  }

  /** Kills everything: the agent is stopping or restarting. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => this.stop(entry, "shutdown")));
    this.entries.clear();
  }

  /** Told each process's pid when it starts and when it has ended. */
  observe(listener: (pid: number, running: boolean) => void): void {
    this.listener = listener;
  }

  private running(): number {
    return [...this.entries.values()].filter((entry) => entry.info.status === "running").length;
  }

  private async start(
    sessionKey: string,
    command: string,
    timeoutMs: number | undefined,
  ): Promise<ProcessInfo> {
    if (!this.runner?.start) {
      throw new ToolInputError(
        `background processes are not available for this agent (${this.unavailableReason}); run exec without background`,
      );
    }
    if (this.running() >= this.limits.maxPerAgent) {
      throw new ToolInputError(
        `this agent already runs ${this.limits.maxPerAgent} background processes (tools.process.maxPerAgent); kill one with process kill first`,
      );
    }
    const started = await this.runner.start(command).catch((error: unknown) => {
      // Confinement unavailable, say: the model (and the operator reading the turn) get the fix.
      throw isOpenClawError(error) ? new ToolInputError(error.describe()) : error;
    });
    const sessionId = randomUUID();
    const stdout = new OutputBuffer(this.limits.outputChars);
    const stderr = new OutputBuffer(this.limits.outputChars);
    started.child.stdout?.on("data", (chunk: Buffer) => stdout.add(chunk));
    started.child.stderr?.on("data", (chunk: Buffer) => stderr.add(chunk));
    // A process that stops reading its stdin must not crash the agent with EPIPE.
    started.child.stdin?.on("error", () => undefined);
    const info: ProcessInfo = {
      sessionId,
      command,
      pid: started.child.pid,
      status: "running",
      exitCode: null,
      startedAt: new Date().toISOString(),
    };
    const runtimeMs = Math.min(timeoutMs ?? this.limits.maxRuntimeMs, this.limits.maxRuntimeMs);
    const entry: Entry = {
      info,
      sessionKey,
      started,
      stdout,
      stderr,
      cursor: { stdout: 0, stderr: 0 },
      timer: setTimeout(() => void this.stop(entry, "timeout"), runtimeMs),
      closed: new Promise<void>((resolve) => {
        started.child.on("error", () => resolve());
        started.child.on("close", (code) => {
          clearTimeout(entry.timer);
          if (info.status === "running") info.status = "exited";
          info.exitCode = code;
          // Whatever it left running in its namespace or group goes with it.
          started.kill();
          void started.release().finally(resolve);
        });
      }),
    };
    entry.timer.unref();
    const pid = started.child.pid;
    if (pid !== undefined) {
      this.listener?.(pid, true);
      void entry.closed.then(() => this.listener?.(pid, false));
    }
    this.entries.set(sessionId, entry);
    return { ...info };
  }

  private async stop(entry: Entry, reason: NonNullable<ProcessInfo["killedBy"]>): Promise<void> {
    clearTimeout(entry.timer);
    if (entry.info.status === "running") {
      entry.info.status = "killed";
      entry.info.killedBy = reason;
      entry.started.kill();
    }
    // Bounded: an escaped process holding the pipes must not hold the tool call (or a shutdown).
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([entry.closed, grace]);
    clearTimeout(timer);
  }
}
