import { type Command, Option } from "commander";
import { gatewayLogPath } from "../config/paths.js";
import { OpenClawError } from "../errors.js";
import type { LogFilter } from "../logging/index.js";
import { cliPaths, type GlobalOptions, markLongRunning } from "./cli-context.js";
import { parseSince } from "./time-options.js";

interface LogsOptions {
  follow?: boolean;
  agent?: string;
  session?: string;
  turn?: string;
  level?: string;
  since?: string;
  lines: string;
  json?: boolean;
}

// pino's levels; the logging module (and pino with it) is loaded only when the command runs.
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function filterFrom(options: LogsOptions): LogFilter {
  return {
    ...(options.level ? { minLevel: LEVELS[options.level] as number } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.session ? { session: options.session } : {}),
    ...(options.turn ? { turn: options.turn } : {}),
    ...(options.since ? { since: parseSince(options.since) } : {}),
  };
}

/**
 * `openclaw logs`: the gateway's log from its files in the state dir (the gateway need not be
 * running), filtered by agent, session, turn and level; `--follow` goes on as lines are written.
 */
export function registerLogsCommand(program: Command): void {
  program
    .command("logs")
    .description("show the gateway log (state dir logs/gateway.log), filtered; --follow to keep reading")
    .option("-f, --follow", "keep printing new lines as they are written")
    .option("--agent <id>", "only lines of this agent")
    .option("--session <key>", "only lines of this session")
    .option("--turn <id>", "only lines of this turn (and subagent turns it started)")
    .addOption(new Option("--level <level>", "this level and above").choices(Object.keys(LEVELS)))
    .option("--since <when>", "lines since a duration ago (10m, 2h, 7d) or a date")
    .option("-n, --lines <count>", "how many matching lines to show before following (0: all)", "200")
    .option("--json", "print the JSON lines as written")
    .action(async (options: LogsOptions) => {
      // The reader and the formatter only: logging/index.js would load pino for nothing.
      const { followLog, logFiles, matchesFilter, parseLogLine, readLogLines } = await import(
        "../logging/log-reader.js"
      );
      const { prettyLine } = await import("../logging/pretty.js");
      const { stateDir } = cliPaths(program.opts<GlobalOptions>());
      const path = gatewayLogPath(stateDir);
      const limit = Number(options.lines);
      if (!Number.isInteger(limit) || limit < 0) {
        throw new OpenClawError("OC_ERR_USAGE", `--lines must be a whole number, not "${options.lines}"`);
      }
      const filter = filterFrom(options);
      if (logFiles(path).length === 0 && !options.follow) {
        throw new OpenClawError("OC_ERR_NOT_FOUND", `no gateway log at ${path}`, {
          hint: "start the gateway (`openclaw gateway start`), or set OPENCLAW_STATE_DIR to its state dir",
        });
      }
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      const matches = (line: string) => {
        const record = parseLogLine(line);
        return record !== undefined && matchesFilter(record, filter);
      };
      const show = (line: string) =>
        process.stdout.write(options.json ? `${line}\n` : `${prettyLine(line, color)}\n`);
      const lines = readLogLines(path);
      const matching = lines.filter(matches);
      // A torn write or a crash trace is not a record: said, so a gap in the log is not a mystery.
      const unreadable = lines.filter((line) => parseLogLine(line) === undefined).length;
      if (unreadable > 0)
        process.stderr.write(
          `note: ${unreadable} line(s) in ${path}* are not JSON log records and were skipped\n`,
        );
      for (const line of limit === 0 ? matching : matching.slice(-limit)) show(line);
      if (!options.follow) return;
      markLongRunning();
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      await followLog(
        path,
        (line) => {
          if (matches(line)) show(line);
        },
        stop.signal,
      );
      process.exit(0);
    });
}
