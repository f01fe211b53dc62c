import { resolveConfigPath } from "../config/paths.js";
import { isLongRunning } from "./cli-context.js";
import { COMMAND_TABLE, requestedCommandName } from "./command-table.js";
import { reportError } from "./output.js";

/** The default depends on the environment: help names the file it resolves to here and now. */
function configOptionHelp(env: NodeJS.ProcessEnv): string {
  const rule = "$OPENCLAW_CONFIG_PATH, else openclaw.json in $OPENCLAW_STATE_DIR (default ~/.openclaw)";
  return `config file (default: ${rule}; here: ${resolveConfigPath({ env })})`;
}

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or config error. */
export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const { VERSION } = await import("../version.js");
  // The cheapest answer of all: scripts call `--version` to check the install, so it loads
  // nothing else (not even commander).
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // `gateway status`, `gateway token` and `config get`, in their plain forms: without commander.
  const { parseFastCommand, runFastCommand } = await import("./fast-path.js");
  const fast = parseFastCommand(args);
  if (fast) return runFastCommand(fast);
  const { Command, CommanderError } = await import("commander");
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const program = new Command("openclaw")
    .description("OpenClaw gateway: thread-bound agents, external secrets, one auth boundary")
    .version(VERSION)
    .option("--config <path>", configOptionHelp(process.env))
    .exitOverride()
    .showHelpAfterError();
  const requested = requestedCommandName(args);
  for (const entry of COMMAND_TABLE) {
    // Only the command that runs is loaded; the others are listed for help and suggestions.
    if (entry.name === requested) await entry.register(program, setExitCode);
    else program.command(entry.name).description(entry.description);
  }
  try {
    await program.parseAsync(argv, { from: "node" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}

/**
 * Resolves once what was written to `stream` has left the process. A write to a pipe whose reader
 * is slower than us (`openclaw config schema | jq`, a test harness on a busy machine) is queued
 * past the pipe's 64 KiB, and process.exit() would drop the queue: the reader got cut-off JSON.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    // A reader that went away (`| head`) fails the queued writes with EPIPE: nothing to wait for,
    // and no crash over it.
    stream.once("error", () => resolve());
    // Runs after every earlier write: it is queued behind them.
    stream.write("", () => resolve());
  });
}

const code = await main(process.argv);
// `gateway run` lives on through its server; every other command ends now, without waiting for
// idle keep-alive sockets of its HTTP client to time out.
if (code !== 0 || !isLongRunning()) {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
