import { mkdir } from "node:fs/promises";
import { type Command, Option } from "commander";
import { OpenClawError } from "../errors.js";
import { type CliPaths, cliPaths, type GlobalOptions, markLongRunning } from "./cli-context.js";
import { cliCommand } from "./cli-invocation.js";
import { findRunningGateway, stopGateway } from "./daemon.js";
import { startGatewayInBackground, statusCurl } from "./gateway-start.js";
import { noteStale, printStatus } from "./gateway-status.js";
import { gatewayToken } from "./gateway-token.js";

/** The drain time (5 s) plus room for closing stores: past it, `gateway run` exits regardless. */
const SHUTDOWN_DEADLINE_MS = 10_000;

interface ListenOptions {
  port?: string;
  host?: string;
  logPath?: string;
  showToken?: boolean;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new OpenClawError("OC_ERR_USAGE", `--port must be an integer from 0 to 65535, not "${value}"`);
  }
  return port;
}

async function runForeground(paths: CliPaths, options: ListenOptions): Promise<void> {
  const { Gateway, openConfiguredStorage } = await import("../gateway/index.js");
  const { createLogger } = await import("../logging/index.js");
  const { gatewayLogPath } = await import("../config/paths.js");
  const running = await findRunningGateway(paths.stateDir, noteStale);
  if (running && running.pid !== process.pid) {
    throw new OpenClawError(
      "OC_ERR_GATEWAY_RUNNING",
      `a gateway is already running (pid ${running.pid}) at ${running.url}`,
      {
        hint: "stop it with `openclaw gateway stop`, or use another OPENCLAW_STATE_DIR",
      },
    );
  }
  const { Redactor } = await import("../secrets/index.js");
  const port = parsePort(options.port);
  // One redactor for the log and the gateway: every credential the gateway resolves is masked
  // in every log line, whatever field it ends up in.
  const redactor = new Redactor();
  // One load for the whole start (storage.kind here, then the gateway's config), through the state
  // dir's validated-config cache. The dir is created first (0700, as the gateway would) so that a
  // first start, too, leaves its validated config for the next one. A file that does not load is
  // loaded again by the gateway, which reports its problems with their lines.
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const { loadConfigFileCached } = await import("../config/validated-cache.js");
  const loaded = await loadConfigFileCached(paths.configPath, paths.stateDir).catch(() => undefined);
  // storage.kind "postgres": connected and migrated before the gateway builds its stores on it;
  // an unreachable database fails the start here (OC_ERR_STORAGE_UNREACHABLE), within the
  // client's connect timeout.
  const storage = await openConfiguredStorage({
    configPath: paths.configPath,
    stateDir: paths.stateDir,
    redactor,
    loaded,
  });
  const gateway = new Gateway({
    configPath: paths.configPath,
    stateDir: paths.stateDir,
    redactor,
    logger: createLogger({
      level: process.env.OPENCLAW_LOG_LEVEL ?? "info",
      redact: (line) => redactor.redact(line),
      file: { path: gatewayLogPath(paths.stateDir) },
      // Until the config says otherwise: detached (`gateway start`) the file is the log; on a
      // terminal, lines for people; piped (journald, docker), JSON lines.
      console: options.logPath ? "off" : process.stdout.isTTY ? "pretty" : "json",
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    }),
    levelFromConfig: process.env.OPENCLAW_LOG_LEVEL === undefined,
    detached: options.logPath !== undefined,
    writeRuntimeState: true,
    ...(options.host ? { host: options.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(options.logPath ? { logPath: options.logPath } : {}),
    ...(storage ? { storage } : {}),
    ...(loaded ? { loadedConfig: loaded } : {}),
  });
  const started = await gateway.start();
  markLongRunning();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    // Shutdown is bounded by its drain time; should anything still hang (a flush that never
    // returns), the process exits anyway rather than holding its port.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    gateway.stop(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // The traditional "re-read your credentials" signal, for rotation scripts and systemd's reload.
  process.on("SIGHUP", () => {
    gateway.reloadSecrets().catch((error: unknown) => {
      gateway.logger.error({ error: String(error) }, "secrets reload on SIGHUP failed");
    });
  });
  const lines = [
    `OpenClaw gateway ${gateway.version} listening on ${started.url}`,
    `  config: ${paths.configPath}${gateway.configExists() ? "" : " (not found: built-in defaults)"}`,
    `  status: ${statusCurl(started.url)}`,
    ...(started.tls
      ? [
          `  tls: ${started.tls.selfSigned ? "self-signed certificate" : "certificate"}, SHA-256 fingerprint ${started.tls.fingerprint256}`,
        ]
      : []),
  ];
  // On a terminal (or `npm start`) only: when stderr is a log file (`gateway start`, journald,
  // docker), the token must not go there; the line then says where to get it.
  const generatedToken = gateway.security.generatedTokenForDisplay();
  const showToken = (options.showToken === true || process.stderr.isTTY) && !options.logPath;
  if (generatedToken && showToken) lines.push(`  control UI: ${started.url}/#token=${generatedToken}`);
  else if (generatedToken) {
    lines.push(`  control UI: ${started.url}/ (its token: \`${cliCommand()} gateway token\`)`);
  } else lines.push(`  control UI: ${started.url}/`);
  for (const agent of gateway.supervisor.list()) {
    const note = agent.usesDevModel
      ? "the built-in offline dev model (no model provider configured)"
      : agent.state === "ready"
        ? "ready"
        : `${agent.state}: ${agent.reason?.split("\n")[0]}`;
    lines.push(`  agent ${agent.id}: ${agent.model}, ${note}`);
  }
  process.stderr.write(`${lines.join("\n")}\n`);
}

export function registerGatewayCommands(program: Command, setExitCode: (code: number) => void): void {
  const globals = () => program.opts<GlobalOptions>();
  const gateway = program.command("gateway").description("run and control the gateway process");
  const listenFlags = (command: Command) =>
    command
      .option("--port <port>", "listen port (overrides gateway.port; 0 picks a free one)")
      .option("--host <host>", "listen address (overrides gateway.host)");

  listenFlags(gateway.command("run").description("run the gateway in the foreground"))
    .addOption(
      new Option("--log-path <path>", "where `gateway start` sends this process's output").hideHelp(),
    )
    .addOption(new Option("--show-token", "print the Control UI link with its token (npm start)").hideHelp())
    .action(async (options: ListenOptions) => runForeground(cliPaths(globals()), options));

  listenFlags(gateway.command("start").description("start the gateway in the background")).action(
    async (options: ListenOptions) => {
      const port = parsePort(options.port);
      const started = await startGatewayInBackground(cliPaths(globals()), {
        ...(port !== undefined ? { port } : {}),
        ...(options.host ? { host: options.host } : {}),
        onStale: noteStale,
      });
      process.stdout.write(`${started.lines.join("\n")}\n`);
    },
  );

  gateway
    .command("stop")
    .description("stop the background gateway")
    .action(async () => {
      const paths = cliPaths(globals());
      const running = await findRunningGateway(paths.stateDir, noteStale);
      if (!running) {
        process.stdout.write("gateway is not running\n");
        return;
      }
      const how = await stopGateway(running);
      process.stdout.write(
        how === "stopped"
          ? `gateway stopped (pid ${running.pid})\n`
          : how === "killed"
            ? `gateway killed after timeout (pid ${running.pid})\n`
            : "gateway is not running\n",
      );
    });

  gateway
    .command("token")
    .description("print the token clients authenticate with (token mode)")
    .action(async () => {
      const paths = cliPaths(globals());
      process.stdout.write(`${await gatewayToken(paths)}\n`);
    });

  gateway
    .command("status")
    .description("show whether the gateway runs, and its agents")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) =>
      setExitCode(await printStatus(cliPaths(globals()), options.json === true)),
    );
}
