/** What a command run in an agent's workspace produced. */
export interface CommandResult {
  /** The shell's exit code; null when the command was killed (timeout or abort). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when stdout or stderr went over `maxOutputBytes` and was cut. */
  truncated: boolean;
  durationMs: number;
}

export interface CommandRequest {
  /** A shell command line, run with `/bin/sh -c` in the workspace root. */
  command: string;
  timeoutMs: number;
  /** Cap on each of stdout and stderr; output past it is drained and dropped. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

/** A process started in the workspace and left running (`exec { background: true }`). */
export interface StartedCommand {
  child: import("node:child_process").ChildProcess;
  /** Kills the process and everything it started (its pid namespace or process group). */
  kill(): void;
  /** Once it has exited: removes what its confinement set up (its cgroup). */
  release(): Promise<void>;
}

/** Runs commands in a workspace: on the host, or inside the agent's sandbox. */
export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
  /** Starts a long-lived process with stdin, stdout and stderr piped; absent where that is not offered. */
  start?(command: string): Promise<StartedCommand>;
}

/** An agent's workspace, offered to the workspace tools through their `ToolContext`. */
export interface WorkspaceAccess {
  /** Absolute host path of the workspace directory; it exists. */
  root: string;
  /** Whether `runner` runs commands inside a sandbox rather than on the host. */
  sandboxed: boolean;
  /**
   * Whether commands are kept from the host's files and processes: in the Docker sandbox, or on
   * the host under bubblewrap. False only for an agent configured `confinement: "unconfined"`.
   */
  confined: boolean;
  runner: CommandRunner;
  /**
   * Host paths no tool may touch (the gateway's state and config, secret files, ...). The file
   * tools refuse those inside the workspace, as confined commands cannot see them.
   */
  hidden?: readonly string[];
  /** Timeout of an `exec` call that does not ask for one. */
  execTimeoutMs: number;
  /** This session's background processes (`exec { background: true }`, `process`); absent: not offered. */
  processes?: import("../process/session-processes.js").SessionProcesses;
}
