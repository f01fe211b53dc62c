import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, posix, resolve, sep } from "node:path";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type Confinement,
  type ConfinementLimits,
  isSameOrInside,
  type NetworkAccess,
} from "../confinement/index.js";
import { OpenClawError } from "../errors.js";

/** Where an agent's stdio servers run: its workspace, confined like its host `exec`. */
export interface ServerPlacement {
  root: string;
  /** Host paths the server must not see: the state dir, the config, secret files, HOME. */
  hidden: readonly string[];
  network: NetworkAccess;
  confinement: "bubblewrap" | "unconfined";
  /** The agent runs its commands in a Docker container (see the refusal below). */
  sandboxed: boolean;
  /** For a sandboxed agent with one container (scope `agent`): where its stdio servers run. */
  container?: { name: string; user: string; workdir: string };
}

/** A stdio server as the gateway launches it: values of `env` already read from their secrets. */
export interface StdioLaunch {
  kind: "stdio";
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string | undefined;
}

/** A remote server: `headers` already read from their secrets. */
export interface RemoteLaunch {
  kind: "remote";
  url: string;
  transport: "streamable-http" | "sse";
  headers: Readonly<Record<string, string>>;
}

export type ServerLaunch = StdioLaunch | RemoteLaunch;

/** A started transport, and what to clean up once the server has gone. */
export interface LaunchedTransport {
  transport: Transport;
  /** The last lines the server wrote on stderr: the reason it failed, when it says one. */
  stderrTail(): string;
  release(): Promise<void>;
}

/**
 * A long-lived server is not a command: `exec`'s 60 CPU seconds would kill it mid-session.
 * The other bounds stay those of `exec`.
 */
export const SERVER_CPU_SECONDS = 24 * 3600;

/** The server's program as an absolute path: bwrap's own PATH is not the gateway's. */
export function resolveCommand(command: string, searchPath: string, cwd: string): string {
  if (command.includes("/")) return isAbsolute(command) ? command : resolve(cwd, command);
  for (const directory of searchPath.split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: the next directory.
    }
  }
  throw new OpenClawError("OC_ERR_MCP_SERVER", `command "${command}" is not found on the gateway's PATH`, {
    hint: "give mcp.servers.<name>.command as an absolute path, or install the program",
  });
}

/** `cwd` of a stdio server: the workspace root, or a folder inside it (never outside). */
export function serverDirectory(root: string, cwd: string | undefined): string {
  const realRoot = realpathSync(root);
  if (cwd === undefined) return realRoot;
  const directory = resolve(realRoot, cwd);
  if (!isSameOrInside(directory, realRoot)) {
    throw new OpenClawError("OC_ERR_MCP_SERVER", `cwd ${cwd} is outside the agent's workspace`, {
      hint: "mcp.servers.<name>.cwd must be the workspace or a folder in it (a relative path is taken from the workspace)",
    });
  }
  return directory;
}

/**
 * The argv that runs a stdio server confined. The secrets of `env` must not appear in an argv (any
 * local user reads /proc/<pid>/cmdline), so they are not given to bwrap as `--setenv`: bwrap is
 * started with exactly the server's environment and without `--clearenv`, so it passes that on.
 */
export async function confinedServerArgv(
  confinement: Confinement,
  argv: readonly string[],
  placement: ServerPlacement,
  cwd: string,
  limits: ConfinementLimits,
): Promise<{ argv: string[]; release(): Promise<void> }> {
  const { argv: full, cgroup } = await confinement.command(argv, {
    writable: [realpathSync(placement.root)],
    hidden: placement.hidden,
    network: placement.network,
    limits: { ...limits, cpuSeconds: SERVER_CPU_SECONDS },
    env: {},
    cwd,
    readOnly: programDirectoriesOf(argv),
  });
  const separator = full.indexOf("--");
  const kept = full.filter((argument, index) => !(argument === "--clearenv" && index < separator));
  return { argv: kept, release: async () => cgroup?.remove() };
}

/**
 * Where the server's program lives, for the confinement to show it read-only: the outermost
 * `node_modules` holding an absolute path of the argv (a Node server needs its whole package
 * tree), else that path's directory. Under a fresh mount (`/tmp`) it would be invisible to itself.
 */
export function programDirectoriesOf(argv: readonly string[]): string[] {
  const directories: string[] = [];
  for (const argument of argv) {
    if (!isAbsolute(argument) || !existsSync(argument)) continue;
    const parts = argument.split(sep);
    const top = parts.indexOf("node_modules");
    if (top > 0) directories.push(parts.slice(0, top + 1).join(sep));
    else directories.push(statSync(argument).isDirectory() ? argument : dirname(argument));
  }
  return [...new Set(directories)];
}

/** The whole environment of a stdio server: nothing of the gateway's but PATH, plus its own `env`. */
export function serverEnvironment(
  directory: string,
  searchPath: string,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return { PATH: searchPath, HOME: directory, LANG: "C.UTF-8", ...env };
}

/** The refusal of a stdio server for an agent whose commands run in a container per session. */
export function sandboxedStdioRefusal(server: string): OpenClawError {
  return new OpenClawError(
    "OC_ERR_MCP_SERVER",
    `stdio MCP server "${server}" cannot run for this sandboxed agent: its containers are per session (sandbox.docker.scope "session"), and it is never started on the host instead`,
    { hint: 'use sandbox.docker.scope "agent", or a remote (url) MCP server' },
  );
}

/** Docker CLI settings of the gateway's environment, which `docker exec` needs to reach the daemon. */
const DOCKER_CLIENT_ENV = [
  "DOCKER_HOST",
  "DOCKER_CONTEXT",
  "DOCKER_CONFIG",
  "DOCKER_CERT_PATH",
  "DOCKER_TLS_VERIFY",
];

/**
 * `docker exec -i` of the server in the agent's container. Its env secrets are named with `-e
 * NAME` only: the docker CLI takes their values from its own environment, never from its argv.
 */
export function containerServerCommand(
  container: NonNullable<ServerPlacement["container"]>,
  launch: StdioLaunch,
  searchPath: string,
): { command: string; args: string[]; env: Record<string, string> } {
  const workdir = launch.cwd ? posix.resolve(container.workdir, launch.cwd) : container.workdir;
  if (workdir !== container.workdir && !workdir.startsWith(`${container.workdir}/`)) {
    throw new OpenClawError("OC_ERR_MCP_SERVER", `cwd ${launch.cwd} is outside the agent's workspace`, {
      hint: "mcp.servers.<name>.cwd must be the workspace or a folder in it",
    });
  }
  const names = Object.keys(launch.env);
  const client = Object.fromEntries(
    DOCKER_CLIENT_ENV.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])),
  );
  return {
    command: "docker",
    args: [
      "exec",
      "-i",
      "-u",
      container.user,
      "-w",
      workdir,
      ...names.flatMap((name) => ["-e", name]),
      container.name,
      launch.command,
      ...launch.args,
    ],
    env: { PATH: searchPath, ...client, ...launch.env },
  };
}
