export {
  followLog,
  type LogFilter,
  type LogRecord,
  logFiles,
  matchesFilter,
  parseLogLine,
  readLogLines,
} from "./log-reader.js";
export { DEFAULT_ROTATION, type RotationLimits, rotatedPaths } from "./log-rotation.js";
export {
  type ConsoleFormat,
  createLogger,
  createSilentLogger,
  type Logger,
  type LoggerOptions,
  type LogSinks,
  logSinksOf,
} from "./logger.js";
export { formatPretty, LEVEL_NAMES, LEVELS, levelNumber, prettyLine } from "./pretty.js";
export { type LogFileOutage, RotatingFile } from "./rotating-file.js";
