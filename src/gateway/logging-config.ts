import type { OpenClawConfig } from "../config/index.js";
import { type Logger, logSinksOf } from "../logging/index.js";

/** logging.* from the config: level (unless OPENCLAW_LOG_LEVEL), rotation, console format. */
export function applyLoggingConfig(
  logger: Logger,
  config: OpenClawConfig,
  options: { levelFromConfig?: boolean; detached?: boolean },
): void {
  if (options.levelFromConfig) logger.level = config.logging.level;
  const sinks = logSinksOf(logger);
  if (!sinks) return;
  sinks.file.setLimits({
    maxBytes: Math.round(config.logging.file.maxSizeMb * 1024 * 1024),
    maxFiles: config.logging.file.maxFiles,
  });
  const wanted = config.logging.console;
  if (wanted !== "auto") sinks.setConsole(wanted);
  else sinks.setConsole(options.detached ? "off" : process.stdout.isTTY ? "pretty" : "json");
}
