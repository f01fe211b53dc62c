import type { Command } from "commander";
import { OpenClawError } from "../errors.js";
import { callGateway } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

interface AgentRow {
  id: string;
  model: string;
  provider?: string;
  builtIn: boolean;
  state: string;
}

interface ProviderRow {
  id: string;
  type?: string;
  baseUrl?: string;
  builtIn: boolean;
  configured: boolean;
  agents: string[];
  models: string[];
  available?: string[];
  ok?: boolean;
  latencyMs?: number;
  error?: { code: string; message: string; hint?: string };
}

function whereOf(provider: ProviderRow): string {
  return provider.builtIn ? "(built in)" : (provider.baseUrl ?? "-");
}

function printCatalog(agents: AgentRow[], providers: ProviderRow[]): void {
  const agentRows = [["AGENT", "MODEL", "PROVIDER", "STATE"]];
  for (const agent of agents) {
    const provider = agent.provider ?? "?";
    agentRows.push([agent.id, agent.model, agent.builtIn ? `${provider} (built in)` : provider, agent.state]);
  }
  const providerRows = [["PROVIDER", "TYPE", "BASE URL", "USED BY"]];
  for (const provider of providers) {
    providerRows.push([
      provider.id,
      provider.type ?? "?",
      whereOf(provider),
      provider.agents.join(", ") || "-",
    ]);
  }
  process.stdout.write(`${formatTable(agentRows)}\n\n${formatTable(providerRows)}\n`);
  for (const provider of providers) {
    if (provider.error) printProblem(provider.id, provider.error);
  }
}

function printProblem(id: string, error: NonNullable<ProviderRow["error"]>): void {
  process.stdout.write(`${id}: ${error.message} [${error.code}]\n`);
  if (error.hint) process.stdout.write(`  fix: ${error.hint}\n`);
}

function printStatus(providers: ProviderRow[]): void {
  const rows = [["PROVIDER", "TYPE", "BASE URL", "STATUS", "MODELS"]];
  for (const provider of providers) {
    rows.push([
      provider.id,
      provider.type ?? "?",
      whereOf(provider),
      provider.ok ? (provider.builtIn ? "ok" : `ok (${provider.latencyMs} ms)`) : "error",
      provider.ok ? (provider.available ?? []).join(", ") : "-",
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const provider of providers) {
    if (!provider.ok && provider.error) printProblem(provider.id, provider.error);
  }
}

/** `openclaw models list | status`: the running gateway's models, and what each provider serves. */
export function registerModelsCommands(program: Command, setExitCode: (code: number) => void): void {
  const models = program.command("models").description("the running gateway's models and providers");

  models
    .command("list")
    .description("each agent's model, and each provider (configured or built in)")
    .option("--agent <id>", "only this agent and its provider")
    .option("--json", "print JSON")
    .action(async (options: { agent?: string; json?: boolean }) => {
      const catalog = (await callGateway("/__openclaw__/models", "GET")) as {
        agents: AgentRow[];
        providers: ProviderRow[];
      };
      let { agents, providers } = catalog;
      if (options.agent) {
        agents = agents.filter((agent) => agent.id === options.agent);
        if (agents.length === 0) {
          throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `no agent "${options.agent}" is configured`, {
            hint: "`openclaw agents list` shows the agents",
          });
        }
        providers = providers.filter((provider) => agents.some((agent) => agent.provider === provider.id));
      }
      if (options.json) printJson({ agents, providers });
      else printCatalog(agents, providers);
    });

  models
    .command("status")
    .description("ask each provider's /models endpoint what it serves")
    .option("--json", "print JSON")
    .option("--check", "exit 1 when a provider cannot be reached or refuses the credential")
    .option("--probe-timeout <ms>", "how long each provider gets to answer (default 5000)")
    .action(async (options: { json?: boolean; check?: boolean; probeTimeout?: string }) => {
      const query = options.probeTimeout ? `?timeoutMs=${encodeURIComponent(options.probeTimeout)}` : "";
      const { providers } = (await callGateway(`/__openclaw__/models/status${query}`, "GET")) as {
        providers: ProviderRow[];
      };
      if (options.json) printJson({ providers });
      else printStatus(providers);
      if (options.check && providers.some((provider) => !provider.ok)) setExitCode(1);
    });
}
