import { type Logger, pino } from "pino";
import { prettyLine } from "./pretty.js";
import { DEFAULT_ROTATION, RotatingFile, type RotationLimits } from "./rotating-file.js";

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
  flush(): void;
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
    const destination = pino.destination({ dest: options.destination ?? 1, sync: false, mkdir: true });
    return pino(settings, destination);
  }
  const file = new RotatingFile(options.file.path, options.file.limits ?? DEFAULT_ROTATION);
  let consoleFormat = options.console ?? "off";
  let stdout: ReturnType<typeof pino.destination> | undefined;
  const color = options.color ?? false;
  // One stream object fans each (already redacted) line out: the file always, stdout as asked.
  const fanOut = {
    write(line: string): boolean {
      file.write(line);
      if (consoleFormat === "off") return true;
      stdout ??= pino.destination({ dest: 1, sync: false });
      stdout.write(consoleFormat === "pretty" ? `${prettyLine(line.trimEnd(), color)}\n` : line);
      return true;
    },
  };
  const logger = pino(settings, fanOut);
  const sinks: LogSinks = {
    file,
    setConsole: (format) => {
      consoleFormat = format;
    },
    flush: () => {
      file.flushSync();
      try {
        stdout?.flushSync();
      } catch {
        // stdout not ready or closed: nothing more to do at exit.
      }
    },
  };
  sinksByLogger.set(logger, sinks);
  process.once("exit", sinks.flush);
  return logger;
}

export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
