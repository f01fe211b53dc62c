import { type Logger, pino } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** File descriptor or path; stdout by default. */
  destination?: number | string;
  /** Applied to every serialized line: masks credential values, whatever field they hide in. */
  redact?: (line: string) => string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: options.destination ?? 1, sync: false, mkdir: true });
  return pino(
    {
      level: options.level ?? "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(options.redact ? { hooks: { streamWrite: options.redact } } : {}),
    },
    destination,
  );
}

export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
