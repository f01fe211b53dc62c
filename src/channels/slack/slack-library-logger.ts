import { type Logger, LogLevel } from "@slack/web-api";
import type { SlackLog } from "./slack-account-options.js";

/**
 * The Slack libraries' logger, routed to the account's log. Their debug output is dropped: it
 * quotes request bodies and every WebSocket frame, which hold what users wrote.
 */
export function slackLibraryLogger(log: SlackLog, source: string): Logger {
  const text = (parts: unknown[]) =>
    parts.map((part) => (part instanceof Error ? part.message : String(part))).join(" ");
  return {
    debug: () => {},
    info: (...parts: unknown[]) => log("info", `${source}: ${text(parts)}`),
    warn: (...parts: unknown[]) => log("debug", `${source}: ${text(parts)}`),
    error: (...parts: unknown[]) => log("debug", `${source}: ${text(parts)}`),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
