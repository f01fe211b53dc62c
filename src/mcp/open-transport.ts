import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type Confinement, DEFAULT_CONFINEMENT_LIMITS } from "../confinement/index.js";
import {
  confinedServerArgv,
  containerServerCommand,
  type LaunchedTransport,
  resolveCommand,
  type ServerLaunch,
  type ServerPlacement,
  sandboxedStdioRefusal,
  serverDirectory,
  serverEnvironment,
} from "./server-launch.js";

const STDERR_TAIL_CHARS = 2000;

export interface TransportOptions {
  server: string;
  launch: ServerLaunch;
  placement: ServerPlacement;
  confinement: Confinement;
  /** Where the gateway finds programs (its own PATH). */
  searchPath: string;
}

/** Opens the transport of one server: confined stdio for an agent, or HTTP from the gateway. */
export async function openTransport(options: TransportOptions): Promise<LaunchedTransport> {
  const { launch, placement } = options;
  if (launch.kind === "remote") {
    const url = new URL(launch.url);
    const requestInit = { headers: { ...launch.headers } };
    const transport =
      launch.transport === "sse"
        ? new SSEClientTransport(url, { requestInit })
        : new StreamableHTTPClientTransport(url, { requestInit });
    return { transport, stderrTail: () => "", release: async () => undefined };
  }
  if (placement.sandboxed) {
    // In the agent's container, never on the host: the container is its whole boundary.
    if (!placement.container) throw sandboxedStdioRefusal(options.server);
    const { command, args, env } = containerServerCommand(placement.container, launch, options.searchPath);
    return stdioTransport(
      new StdioClientTransport({ command, args, env, stderr: "pipe" }),
      async () => undefined,
    );
  }
  const directory = serverDirectory(placement.root, launch.cwd);
  const command = resolveCommand(launch.command, options.searchPath, directory);
  const env = serverEnvironment(directory, options.searchPath, launch.env);
  const confined =
    placement.confinement === "bubblewrap"
      ? await confinedServerArgv(
          options.confinement,
          [command, ...launch.args],
          placement,
          directory,
          DEFAULT_CONFINEMENT_LIMITS,
        )
      : { argv: [command, ...launch.args], release: async () => undefined };
  const [program, ...args] = confined.argv as [string, ...string[]];
  const transport = new StdioClientTransport({
    command: program,
    args,
    env,
    cwd: placement.confinement === "bubblewrap" ? "/" : directory,
    stderr: "pipe",
  });
  return stdioTransport(transport, confined.release);
}

/** A stdio transport with the tail of its server's stderr kept: the reason it failed, when it says one. */
function stdioTransport(transport: StdioClientTransport, release: () => Promise<void>): LaunchedTransport {
  let tail = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
  });
  return { transport, stderrTail: () => tail.trim(), release };
}
