import { type Command, Option } from "commander";
import { OpenClawError } from "../errors.js";
import { type CliPaths, cliPaths, type GlobalOptions, markLongRunning } from "./cli-context.js";
import { cliCommand } from "./cli-invocation.js";
import { fetchJson, findRunningGateway, stopGateway } from "./daemon.js";
import { startGatewayInBackground, statusCurl } from "./gateway-start.js";
import { formatDuration, formatTable, printJson } from "./output.js";

/** The drain time (5 s) plus room for closing stores: past it, `gateway run` exits regardless. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** A stale gateway.json was found and removed: worth a line, as it explains a past crash. */
function noteStale(message: string): void {
  process.stderr.write(`note: ${message}\n`);
}

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
  const { Gateway } = await import("../gateway/index.js");
  const { createLogger } = await import("../logging/index.js");
  const { gatewayLogPath } = await import("../config/index.js");
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

/** The configured token (resolved from its secret), else the one token mode generated. */
async function gatewayToken(paths: CliPaths): Promise<string> {
  // Not ../config/index.js, which loads zod and builds the schema: a cache hit needs neither.
  const { loadConfigFileCached } = await import("../config/validated-cache.js");
  const { config } = await loadConfigFileCached(paths.configPath, paths.stateDir);
  const configured = config.gateway.auth.token;
  if (typeof configured === "string") return configured;
  if (configured) {
    const { withLocalSecrets } = await import("../secrets/index.js");
    const name = configured.$secret;
    return withLocalSecrets(config, paths.configPath, (store) => {
      const value = store.get(name);
      if (value !== undefined) return value;
      const status = store.status(name);
      throw new OpenClawError("OC_ERR_SECRET_UNAVAILABLE", status?.error ?? `secret "${name}" has no value`, {
        ...(status?.hint ? { hint: status.hint } : {}),
      });
    });
  }
  const { gatewayTokenFingerprint, inspectGatewayTokenFile, gatewayTokenFileError } = await import(
    "../auth/gateway-token.js"
  );
  const file = await inspectGatewayTokenFile(paths.stateDir);
  const running = await findRunningGateway(paths.stateDir);
  const problem = gatewayTokenFileError(file);
  if (problem) throw problem;
  if (file.kind === "valid") {
    // The file is what clients are told; the running gateway says (by digest) what it accepts.
    const inUse = running?.tokenFingerprint;
    if (inUse && inUse !== gatewayTokenFingerprint(file.token)) {
      throw new OpenClawError(
        "OC_ERR_STATE_FILE",
        `${file.path} no longer holds the token the running gateway (pid ${running.pid}) accepts: it was changed after the gateway started`,
        {
          hint: "restart the gateway so that it uses the file's token: openclaw gateway stop && openclaw gateway start",
        },
      );
    }
    return file.token;
  }
  if (running?.tokenFingerprint) {
    throw new OpenClawError(
      "OC_ERR_STATE_FILE",
      `${file.path} is ${file.kind === "empty" ? "empty" : "gone"}, but the running gateway (pid ${running.pid}) accepts the token it loaded at start`,
      {
        hint: "restart the gateway to generate and save a new token: openclaw gateway stop && openclaw gateway start",
      },
    );
  }
  throw new OpenClawError(
    "OC_ERR_GATEWAY_NOT_RUNNING",
    file.kind === "empty"
      ? `${file.path} is empty (a write cut short): the gateway generates and saves a new token when it starts`
      : "no token yet: the gateway creates one on its first start",
    { hint: "run `openclaw gateway start`, then `openclaw gateway token`" },
  );
}

async function printStatus(paths: CliPaths, json: boolean): Promise<number> {
  const running = await findRunningGateway(paths.stateDir, noteStale);
  if (!running) {
    if (json) printJson({ running: false });
    else process.stdout.write("gateway: not running\n");
    return 1;
  }
  const status = (await fetchJson(
    `${running.url}/__openclaw__/status`,
    2000,
    paths.stateDir,
    running.tlsCertPath,
  )) as {
    version: string;
    uptimeMs: number;
    agents: { id: string; state: string; model: string; placement: string; turnsInFlight: number }[];
  };
  if (json) {
    printJson({ running: true, pid: running.pid, url: running.url, logPath: running.logPath, status });
    return 0;
  }
  process.stdout.write(
    `gateway: running (pid ${running.pid}) at ${running.url}, version ${status.version}, up ${formatDuration(status.uptimeMs)}\n`,
  );
  if (running.logPath) process.stdout.write(`log: ${running.logPath}\n`);
  const rows = [["AGENT", "STATE", "MODEL", "PLACEMENT", "IN FLIGHT"]];
  for (const agent of status.agents) {
    rows.push([agent.id, agent.state, agent.model, agent.placement, String(agent.turnsInFlight)]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  return 0;
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
