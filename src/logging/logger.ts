import { type Logger, pino } from "pino";
import { ConsoleStream } from "./console-stream.js";
import { DEFAULT_ROTATION, type RotationLimits } from "./log-rotation.js";
import { prettyLine } from "./pretty.js";
import { RotatingFile } from "./rotating-file.js";

export type { Logger } from "pino";

/** Where lines go besides the file: pretty for a person at a terminal, JSON for a collector. */
export type ConsoleFormat = "pretty" | "json" | "off";

export interface LoggerOptions {
  level?: string;
  /** File descriptor or path of a plain (unrotated) destination; stdout by default. */
  destination?: number | string;
  /** A rotated JSON log file (the gateway's `<state>/logs/gateway.log`); replaces `destination`. */
  file?: { path: string; limits?: RotationLimits };
  /** With `file`: what also goes to stdout. */
  console?: ConsoleFormat;
  /** Colours in pretty console lines. */
  color?: boolean;
  /** Applied to every serialized line: masks credential values, whatever field they hide in. */
  redact?: (line: string) => string;
}

/** Where a file-backed logger's lines go, adjustable once the config has been read. */
export interface LogSinks {
  readonly file: RotatingFile;
  setConsole(format: ConsoleFormat): void;
  /** Bounded, never throws: safe at exit on a full disk or a closed stdout. */
  flush(): void;
  /** Lines lost since the start, per sink (`openclaw_log_lines_dropped_total`). */
  droppedLines(): { file: number; console: number };
}

const sinksByLogger = new WeakMap<Logger, LogSinks>();

/** The sinks of a logger made with `file` (undefined for other loggers). */
export function logSinksOf(logger: Logger): LogSinks | undefined {
  return sinksByLogger.get(logger);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.redact ? { hooks: { streamWrite: options.redact } } : {}),
  };
  if (!options.file) {
    if (typeof options.destination === "string") {
      const destination = pino.destination({ dest: options.destination, sync: false, mkdir: true });
      // Unhandled, SonicBoom's error event (ENOSPC) would crash the process.
      destination.on("error", () => undefined);
      return pino(settings, destination);
    }
    return pino(settings, new ConsoleStream(options.destination ?? 1));
  }
  let logger: Logger | undefined;
  const path = options.file.path;
  const file = new RotatingFile(path, options.file.limits ?? DEFAULT_ROTATION, {
    onRecovered: (outage) =>
      logger?.warn(
        { file: path, code: outage.code, failedForMs: outage.failedForMs, droppedLines: outage.droppedLines },
        "log file takes writes again; lines that did not fit the buffer meanwhile were dropped",
      ),
    onRepaired: (cutBytes) =>
      logger?.warn(
        { file: path, cutBytes },
        "log file ended in a torn line (killed mid-write): cut back to its last whole line",
      ),
  });
  let consoleFormat = options.console ?? "off";
  let stdout: ConsoleStream | undefined;
  const color = options.color ?? false;
  // One stream object fans each (already redacted) line out: the file always, stdout as asked.
  const fanOut = {
    write(line: string): boolean {
      file.write(line);
      if (consoleFormat === "off") return true;
      stdout ??= new ConsoleStream(1);
      stdout.write(consoleFormat === "pretty" ? `${prettyLine(line.trimEnd(), color)}\n` : line);
      return true;
    },
  };
  logger = pino(settings, fanOut);
  const sinks: LogSinks = {
    file,
    setConsole: (format) => {
      consoleFormat = format;
    },
    flush: () => {
      file.flushSync();
      stdout?.flushSync();
    },
    droppedLines: () => ({ file: file.droppedLines, console: stdout?.droppedLines ?? 0 }),
  };
  sinksByLogger.set(logger, sinks);
  process.once("exit", sinks.flush);
  return logger;
}

export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
