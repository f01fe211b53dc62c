/** What one check found: `fail` breaks something now (doctor exits 1), `warn` is worth a look. */
export type DiagnosticStatus = "ok" | "warn" | "fail";

/** A repair `doctor --fix` may apply unasked: it only tightens modes or creates what is missing. */
export interface SafeFix {
  /** What it does, in the words printed after it is done: "chmod 600 /path". */
  action: string;
  apply(): Promise<void>;
}

export interface Diagnostic {
  /** Stable name of the check, for machines (`doctor --json`). */
  id: string;
  status: DiagnosticStatus;
  /** What was found, naming the agent, file or setting and the numbers. */
  summary: string;
  /** What to do: a command or a config line. */
  fix?: string;
  /** What the finding is about (an agent id, a file, a secret), when a check finds several. */
  subject?: string;
  /** Further lines: each problem of an invalid config, each plaintext credential. */
  details?: string[];
  safeFix?: SafeFix;
}

export function ok(id: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { id, status: "ok", summary, ...extra };
}

export function warn(id: string, summary: string, fix: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { id, status: "warn", summary, fix, ...extra };
}

export function fail(id: string, summary: string, fix: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { id, status: "fail", summary, fix, ...extra };
}

/** `0644`: how modes are written in findings and in `chmod` commands. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** "3 minutes ago" style age of an ISO time, for findings about counters. */
export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}
