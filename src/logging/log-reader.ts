import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { levelNumber } from "./pretty.js";

export interface LogFilter {
  /** Lowest level shown (pino number). */
  minLevel?: number;
  agent?: string;
  session?: string;
  /** A turn id: its lines, and those of subagent turns it started. */
  turn?: string;
  /** Epoch ms: lines at or after it. */
  since?: number;
}

export type LogRecord = Record<string, unknown>;

/** Parses a log line; a line that is not a JSON object (a crash trace) gives undefined. */
export function parseLogLine(line: string): LogRecord | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === "object" && value !== null ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function matchesFilter(record: LogRecord, filter: LogFilter): boolean {
  if (filter.minLevel !== undefined && levelNumber(record.level) < filter.minLevel) return false;
  if (filter.agent !== undefined && record.agent !== filter.agent) return false;
  if (filter.session !== undefined && record.session !== filter.session) return false;
  if (filter.turn !== undefined && record.turn !== filter.turn && record.parentTurn !== filter.turn)
    return false;
  if (filter.since !== undefined) {
    const time = typeof record.time === "string" ? Date.parse(record.time) : Number.NaN;
    if (!(time >= filter.since)) return false;
  }
  return true;
}

/** The files of a rotated log, oldest first: `gateway.log.5` … `gateway.log.1`, `gateway.log`. */
export function logFiles(path: string): string[] {
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const rotated = entries
    .map((entry) => ({ entry, index: rotationIndex(entry, name) }))
    .filter((item): item is { entry: string; index: number } => item.index !== undefined)
    .sort((a, b) => b.index - a.index);
  return rotated.map((item) => join(dirname(path), item.entry));
}

function rotationIndex(entry: string, name: string): number | undefined {
  if (entry === name) return 0;
  if (!entry.startsWith(`${name}.`)) return undefined;
  const suffix = entry.slice(name.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : undefined;
}

/** Every line of the log, oldest first. */
export function readLogLines(path: string): string[] {
  const lines: string[] = [];
  for (const file of logFiles(path)) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // rotated away between listing and reading
    }
    for (const line of text.split("\n")) if (line !== "") lines.push(line);
  }
  return lines;
}

/**
 * Follows the active log file from its current end: new lines are handed over as they are
 * written, across rotations (the renamed file is read to its end before the new one is opened).
 */
export function followLog(
  path: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
  pollMs = 200,
): Promise<void> {
  let fd: number | undefined;
  let inode: number | undefined;
  let offset = 0;
  let pending = "";
  const open = (fromEnd: boolean) => {
    try {
      fd = openSync(path, "r");
      const stat = fstatSync(fd);
      inode = stat.ino;
      offset = fromEnd ? stat.size : 0;
    } catch {
      fd = undefined; // not created yet: tried again at the next poll
    }
  };
  const drain = () => {
    if (fd === undefined) return;
    // A restarted gateway cuts a torn last line (see RotatingFile): follow from the cut, or
    // every read past the new end would come back empty until the next rotation.
    const size = fstatSync(fd).size;
    if (size < offset) {
      offset = size;
      pending = "";
    }
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      if (read === 0) break;
      offset += read;
      pending += buffer.subarray(0, read).toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line !== "") onLine(line);
    }
  };
  open(true);
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (fd === undefined) {
        open(false);
      }
      drain();
      let current: number | undefined;
      try {
        current = statSync(path).ino;
      } catch {
        current = undefined;
      }
      if (fd !== undefined && current !== undefined && current !== inode) {
        closeSync(fd);
        open(false);
        drain();
      }
    }, pollMs);
    signal.addEventListener(
      "abort",
      () => {
        clearInterval(timer);
        drain();
        if (fd !== undefined) closeSync(fd);
        resolve();
      },
      { once: true },
    );
  });
}
