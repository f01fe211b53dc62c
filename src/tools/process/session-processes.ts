/** What `process list` and `process poll` say about one background process. */
export interface ProcessInfo {
  sessionId: string;
  command: string;
  pid: number | undefined;
  status: "running" | "exited" | "killed";
  exitCode: number | null;
  startedAt: string;
  /** Why it was killed: `requested`, `timeout` (its timeoutSeconds or the maximum runtime), `shutdown`. */
  killedBy?: "requested" | "timeout" | "shutdown";
}

export interface ProcessOutput extends ProcessInfo {
  stdout: string;
  stderr: string;
  /** Characters of output dropped before this read because the buffer was full. */
  missed: number;
}

/**
 * The background processes of one chat session, as its tools see them: a process of another
 * session is not found, whatever id the model gives.
 */
export interface SessionProcesses {
  start(command: string, options: { timeoutMs?: number }): Promise<ProcessInfo>;
  /** New output since the last poll, and the status. */
  poll(sessionId: string): ProcessOutput;
  /** The last output kept (up to `maxChars` of each stream), without moving the poll cursor. */
  log(sessionId: string, maxChars?: number): ProcessOutput;
  write(sessionId: string, data: string, options?: { close?: boolean }): Promise<void>;
  kill(sessionId: string): Promise<ProcessInfo>;
  list(): ProcessInfo[];
}
