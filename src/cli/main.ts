import { Command, CommanderError } from "commander";
import { resolveConfigPath } from "../config/paths.js";
import { VERSION } from "../version.js";
import { registerAgentsCommands } from "./agents-commands.js";
import {
  registerChannelsCommands,
  registerMessageCommands,
  registerPairingCommands,
} from "./channel-commands.js";
import { isLongRunning } from "./cli-context.js";
import { registerConfigCommands } from "./config-commands.js";
import { registerDoctorCommand } from "./doctor-command.js";
import { registerGatewayCommands } from "./gateway-commands.js";
import { registerLogsCommand } from "./logs-command.js";
import { registerMemoryCommands } from "./memory-commands.js";
import { registerNodesCommands } from "./nodes-commands.js";
import { reportError } from "./output.js";
import { registerSandboxCommands } from "./sandbox-commands.js";
import { registerSecretsCommands } from "./secrets-commands.js";
import { registerStatusCommand } from "./status-command.js";
import { registerUsageCommand } from "./usage-command.js";

/** The default depends on the environment: help names the file it resolves to here and now. */
function configOptionHelp(env: NodeJS.ProcessEnv): string {
  const rule = "$OPENCLAW_CONFIG_PATH, else openclaw.json in $OPENCLAW_STATE_DIR (default ~/.openclaw)";
  return `config file (default: ${rule}; here: ${resolveConfigPath({ env })})`;
}

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or config error. */
export async function main(argv: string[]): Promise<number> {
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
  registerGatewayCommands(program, setExitCode);
  registerConfigCommands(program);
  registerStatusCommand(program, setExitCode);
  registerAgentsCommands(program, setExitCode);
  registerSecretsCommands(program, setExitCode);
  registerDoctorCommand(program, setExitCode);
  registerNodesCommands(program);
  registerSandboxCommands(program, setExitCode);
  registerMemoryCommands(program, setExitCode);
  registerLogsCommand(program);
  registerUsageCommand(program);
  registerChannelsCommands(program, setExitCode);
  registerPairingCommands(program);
  registerMessageCommands(program);
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

const code = await main(process.argv);
// `gateway run` lives on through its server; every other command ends now, without waiting for
// idle keep-alive sockets of its HTTP client to time out.
if (code !== 0 || !isLongRunning()) process.exit(code);
