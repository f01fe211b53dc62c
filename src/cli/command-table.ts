import type { Command } from "commander";

export type SetExitCode = (code: number) => void;

/**
 * One top-level command: what `openclaw --help` says about it, and how to load it. A command's
 * module (and whatever it imports: zod schemas, the config loader, storage) is imported only when
 * that command runs, so `--help` and each command pay only for themselves (bench/cli measures it).
 * The description must be the one the module registers; cli-command-table.test.ts checks it.
 */
export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  register(program: Command, setExitCode: SetExitCode): Promise<void>;
}

export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    name: "onboard",
    description: "set up openclaw.json (model provider, key, gateway) and start the gateway",
    register: async (program) =>
      (await import("./onboard/onboard-command.js")).registerOnboardCommand(program),
  },
  {
    name: "gateway",
    description: "run and control the gateway process",
    register: async (program, setExitCode) => {
      (await import("./gateway-commands.js")).registerGatewayCommands(program, setExitCode);
      (await import("./gateway-query-commands.js")).registerGatewayQueryCommands(program, setExitCode);
    },
  },
  {
    name: "health",
    description: "the running gateway's health (as `gateway health`)",
    register: async (program, setExitCode) =>
      (await import("./gateway-query-commands.js")).registerHealthCommand(program, setExitCode),
  },
  {
    name: "dashboard",
    description: "print the Control UI URL (with the generated token in the fragment)",
    register: async (program) => (await import("./dashboard-command.js")).registerDashboardCommand(program),
  },
  {
    name: "agent",
    description: "run one agent turn through the running gateway and print the reply",
    register: async (program, setExitCode) =>
      (await import("./agent-command.js")).registerAgentCommand(program, setExitCode),
  },
  {
    name: "sessions",
    description: "list, read and delete session transcripts",
    register: async (program) => (await import("./sessions-commands.js")).registerSessionsCommands(program),
  },
  {
    name: "models",
    description: "the running gateway's models and providers",
    register: async (program, setExitCode) =>
      (await import("./models-commands.js")).registerModelsCommands(program, setExitCode),
  },
  {
    name: "config",
    description: "validate, read and edit openclaw.json",
    register: async (program) => (await import("./config-commands.js")).registerConfigCommands(program),
  },
  {
    name: "status",
    description: "config, gateway and agents at a glance",
    register: async (program, setExitCode) =>
      (await import("./status-command.js")).registerStatusCommand(program, setExitCode),
  },
  {
    name: "agents",
    description: "list and control the running gateway's agents",
    register: async (program, setExitCode) =>
      (await import("./agents-commands.js")).registerAgentsCommands(program, setExitCode),
  },
  {
    name: "secrets",
    description: "external secrets: status, bindings, rotation, audit",
    register: async (program, setExitCode) =>
      (await import("./secrets-commands.js")).registerSecretsCommands(program, setExitCode),
  },
  {
    name: "doctor",
    description:
      "check config, gateway, agents (503s, threadBound), hardcoded keys, trusted proxy, memory sync, exposure, files, TLS, Docker; exit 1 on a failure",
    register: async (program, setExitCode) =>
      (await import("./doctor-command.js")).registerDoctorCommand(program, setExitCode),
  },
  {
    name: "nodes",
    description: "paired devices (nodes): approve, reject, revoke",
    register: async (program) => (await import("./nodes-commands.js")).registerNodesCommands(program),
  },
  {
    name: "sandbox",
    description: "Docker sandboxes for agent tools",
    register: async (program, setExitCode) =>
      (await import("./sandbox-commands.js")).registerSandboxCommands(program, setExitCode),
  },
  {
    name: "memory",
    description: "agent memories: status, Qdrant sync, repair",
    register: async (program, setExitCode) =>
      (await import("./memory-commands.js")).registerMemoryCommands(program, setExitCode),
  },
  {
    name: "skills",
    description: "SKILL.md skills: list, info, check",
    register: async (program, setExitCode) =>
      (await import("./skills-commands.js")).registerSkillsCommands(program, setExitCode),
  },
  {
    name: "logs",
    description: "show the gateway log (state dir logs/gateway.log), filtered; --follow to keep reading",
    register: async (program) => (await import("./logs-command.js")).registerLogsCommand(program),
  },
  {
    name: "usage",
    description: "token usage and model latency per agent, session or model",
    register: async (program) => (await import("./usage-command.js")).registerUsageCommand(program),
  },
  {
    name: "cluster",
    description: "the replicas sharing this gateway's storage",
    register: async (program) => (await import("./cluster-command.js")).registerClusterCommand(program),
  },
  {
    name: "channels",
    description: "messaging channels (Telegram, IRC, Discord, Slack): accounts and health",
    register: async (program, setExitCode) =>
      (await import("./channel-commands.js")).registerChannelsCommands(program, setExitCode),
  },
  {
    name: "pairing",
    description: "DM pairing: approve who may message the bot",
    register: async (program) => (await import("./channel-commands.js")).registerPairingCommands(program),
  },
  {
    name: "cron",
    description: "scheduled agent turns (cron jobs): add, list, edit, rm, run, runs",
    register: async (program) => (await import("./cron-commands.js")).registerCronCommands(program),
  },
  {
    name: "automations",
    description: "scheduled agent turns (cron jobs): add, list, edit, rm, run, runs",
    register: async (program) =>
      (await import("./cron-commands.js")).registerCronCommands(program, "automations"),
  },
  {
    name: "message",
    description: "send messages on channels as the bot",
    register: async (program) => (await import("./channel-commands.js")).registerMessageCommands(program),
  },
  {
    name: "mcp",
    description: "the gateway as an MCP server (`mcp serve`)",
    register: async (program) => (await import("./mcp-commands.js")).registerMcpCommands(program),
  },
];

/**
 * The top-level command argv asks for (`help <name>` included), skipping the global options
 * before it; undefined for a bare `openclaw`, `--help` or `--version`.
 */
export function requestedCommandName(args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--config") {
      index++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    if (arg === "help") return args.slice(index + 1).find((next) => !next.startsWith("-"));
    return arg;
  }
  return undefined;
}
