/** Whether a confined process shares the host's network or gets only its own loopback. */
export type NetworkAccess = "none" | "host";

export interface ConfinementLimits {
  /** Processes and threads at once (cgroup pids controller, else RLIMIT_NPROC; see PidsBound). */
  pids: number;
  /** CPU seconds of each process (RLIMIT_CPU); the caller's timeout bounds the wall clock. */
  cpuSeconds: number;
  /** Largest file a process may write, in bytes (RLIMIT_FSIZE); also the size of the private /tmp. */
  maxFileBytes: number;
  /** Open file descriptors of each process (RLIMIT_NOFILE). */
  openFiles: number;
}

/**
 * What a confined process may touch. Everything else of the host is read-only, and the paths in
 * `hidden` are not there at all: a hidden directory is empty, a hidden file reads as nothing.
 */
export interface ConfinementPolicy {
  /** Host directories bound read-write at the same path (an agent's workspace). They must exist. */
  writable: readonly string[];
  /**
   * Host paths the process must not see: secrets, the gateway's state and config. One inside a
   * writable directory is hidden there too; one that is (or contains) a writable directory is
   * hidden around it, since the process cannot be kept from its own workspace.
   */
  hidden: readonly string[];
  network: NetworkAccess;
  limits: ConfinementLimits;
  /** The process's whole environment. */
  env: Readonly<Record<string, string>>;
  /** Working directory; a writable directory or a read-only one that is not hidden. */
  cwd: string;
  /**
   * Host directories shown read-only although a fresh mount covers them: a program installed
   * under `/tmp` (a checkout there) is otherwise invisible to itself. One that is, holds, or lies
   * inside a hidden path is not shown: a re-exposure never reaches what `hidden` covers.
   */
  readOnly?: readonly string[];
}

export const DEFAULT_CONFINEMENT_LIMITS: ConfinementLimits = {
  pids: 256,
  cpuSeconds: 60,
  maxFileBytes: 256 * 1024 * 1024,
  openFiles: 1024,
};
