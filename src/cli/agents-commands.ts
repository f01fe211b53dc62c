import type { Command } from "commander";
import { callGateway } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

interface AgentRow {
  id: string;
  placement: string;
  threadId?: number;
  state: string;
  model: string;
  heapUsedMb?: number;
  heapLimitMb?: number;
  eventLoopUtilization?: number;
  cpuDemoted?: boolean;
  turnsInFlight: number;
  queueDepth: number;
  restarts: number;
  lastError?: string;
  reason?: string;
}

function placementOf(agent: AgentRow): string {
  const where = agent.placement === "thread" ? `thread ${agent.threadId ?? "-"}` : agent.placement;
  return agent.cpuDemoted ? `${where} (niced)` : where;
}

function heapOf(agent: AgentRow): string {
  if (agent.heapUsedMb === undefined) return "-";
  return agent.heapLimitMb ? `${agent.heapUsedMb}/${agent.heapLimitMb} MB` : `${agent.heapUsedMb} MB`;
}

export function printAgentTable(agents: AgentRow[]): void {
  const rows = [
    ["AGENT", "PLACEMENT", "STATE", "MODEL", "HEAP", "ELU", "IN FLIGHT", "QUEUED", "RESTARTS", "LAST ERROR"],
  ];
  for (const agent of agents) {
    rows.push([
      agent.id,
      placementOf(agent),
      agent.state,
      agent.model,
      heapOf(agent),
      agent.eventLoopUtilization === undefined ? "-" : agent.eventLoopUtilization.toFixed(2),
      String(agent.turnsInFlight),
      String(agent.queueDepth),
      String(agent.restarts),
      (agent.lastError ?? "").split("\n")[0] ?? "",
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

/** `openclaw agents list | kill <id> | restart <id>`: the running gateway's agents. */
export function registerAgentsCommands(program: Command, setExitCode: (code: number) => void): void {
  const agents = program.command("agents").description("list and control the running gateway's agents");

  agents
    .command("list")
    .description("each agent: placement, state, heap, event-loop use, turns, restarts, last error")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { agents: list } = (await callGateway("/__openclaw__/agents", "GET")) as { agents: AgentRow[] };
      if (options.json) printJson(list);
      else printAgentTable(list);
    });

  agents
    .command("kill <id>")
    .description("stop one agent (its worker thread) until `agents restart`")
    .action(async (id: string) => {
      const { agent } = (await callGateway(
        `/__openclaw__/agents/${encodeURIComponent(id)}/kill`,
        "POST",
      )) as {
        agent: AgentRow;
      };
      process.stdout.write(`agent ${agent.id}: ${agent.state}\n`);
    });

  agents
    .command("heap-snapshot <id>")
    .description("write a V8 heap snapshot of a thread-bound agent's worker into <state dir>/diagnostics")
    .action(async (id: string) => {
      const { path, bytes } = (await callGateway(
        `/__openclaw__/agents/${encodeURIComponent(id)}/heap-snapshot`,
        "POST",
      )) as { path: string; bytes: number };
      process.stdout.write(`${path} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`);
    });

  agents
    .command("restart <id>")
    .description("start one agent afresh (a new worker thread for a thread-bound agent)")
    .action(async (id: string) => {
      const { agent } = (await callGateway(
        `/__openclaw__/agents/${encodeURIComponent(id)}/restart`,
        "POST",
      )) as {
        agent: AgentRow;
      };
      const where = placementOf(agent);
      process.stdout.write(
        `agent ${agent.id}: ${agent.state} (${where})${agent.reason ? `: ${agent.reason}` : ""}\n`,
      );
      if (agent.state !== "ready") setExitCode(1);
    });
}
