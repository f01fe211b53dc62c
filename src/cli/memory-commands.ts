import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Command } from "commander";
import { STALLED_SYNC_MS } from "../diagnostics/memory-checks.js";
import type { AgentMemoryStatus, MemoryRepairReport } from "../memory/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { callGateway, runningGatewayUrl } from "./gateway-api.js";
import { formatDuration, formatTable, printJson } from "./output.js";

/** A row of `memory status` as the gateway (or the offline reader) reports it, JSON-decoded. */
type MemoryRow = Omit<AgentMemoryStatus, "syncLagMs" | "lastError" | "search"> & {
  syncLagMs?: number;
  lastError?: string;
  search: string;
};

/** A sync that is failed or has not caught up for STALLED_SYNC_MS (doctor says the same). */
export function stalledSyncs(rows: MemoryRow[]): MemoryRow[] {
  return rows.filter((row) => row.syncState === "failed" || (row.syncLagMs ?? 0) > STALLED_SYNC_MS);
}

/** Stores found corrupt: their agent's memory is refused until repaired. */
export function failedStores(rows: MemoryRow[]): MemoryRow[] {
  return rows.filter((row) => row.state === "failed");
}

/**
 * With no gateway running, the repair works on the files: the agent's workspace and, in mode
 * "primary", Qdrant are taken from the config the gateway would run with.
 */
async function repairWithoutGateway(
  globals: GlobalOptions,
  agentId: string,
  force: boolean,
): Promise<MemoryRepairReport> {
  const { configPath, stateDir } = cliPaths(globals);
  const [{ loadConfigFile, resolveAgentConfigs }, { createSilentLogger }, { repairOffline }] =
    await Promise.all([
      import("../config/index.js"),
      import("../logging/index.js"),
      import("../memory/index.js"),
    ]);
  const { config } = await loadConfigFile(configPath);
  const agent = resolveAgentConfigs(config).find((candidate) => candidate.id === agentId);
  // As the agent runtime resolves it (agents/runtime-settings.ts).
  const workspaceRoot = agent
    ? agent.workspace
      ? isAbsolute(agent.workspace)
        ? agent.workspace
        : resolve(dirname(configPath), agent.workspace)
      : join(stateDir, "workspace", agentId)
    : undefined;
  const qdrant = config.memory.qdrant;
  let qdrantSource: { url: string; apiKey?: string; collection: string } | undefined;
  if (qdrant?.mode === "primary") {
    const reference = qdrant.apiKey;
    const apiKey =
      typeof reference === "object"
        ? await (await import("../secrets/index.js")).withLocalSecrets(config, configPath, (store) =>
            store.get(reference.$secret),
          )
        : reference;
    qdrantSource = { url: qdrant.url, collection: qdrant.collection, ...(apiKey ? { apiKey } : {}) };
  }
  return repairOffline({
    stateDir,
    agentId,
    force,
    logger: createSilentLogger(),
    ...(workspaceRoot ? { workspaceRoot } : {}),
    ...(qdrantSource ? { qdrant: qdrantSource } : {}),
  });
}

/** `openclaw memory status | resync [agentId] | repair <agentId>`: the agents' memories. */
export function registerMemoryCommands(program: Command, setExitCode: (code: number) => void): void {
  const memory = program.command("memory").description("agent memories: status, Qdrant sync, repair");
  memory
    .command("status")
    .description("per agent: store state, items, outbox depth, sync lag and state, last error, search mode")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { enabled, agents } = (await callGateway("/__openclaw__/memory", "GET")) as {
        enabled: boolean;
        agents: MemoryRow[];
      };
      if (options.json) printJson({ enabled, agents });
      else if (!enabled) process.stdout.write("memory is off (memory.enabled is false)\n");
      else if (agents.length === 0) process.stdout.write("no agent has used its memory yet\n");
      else {
        const rows = [["AGENT", "STORE", "ITEMS", "OUTBOX", "SYNC LAG", "SYNC", "SEARCH", "LAST ERROR"]];
        for (const row of agents) {
          const failed = row.state === "failed";
          rows.push([
            row.agentId,
            row.state ?? "ready",
            failed ? "-" : String(row.items),
            failed ? "-" : String(row.outboxDepth),
            row.syncLagMs === undefined ? "-" : formatDuration(row.syncLagMs),
            row.syncState,
            row.search,
            (failed ? row.failure : row.lastError) ?? "",
          ]);
        }
        process.stdout.write(`${formatTable(rows)}\n`);
        for (const row of failedStores(agents)) {
          process.stdout.write(
            `agent ${row.agentId}: memory refused until repaired (the agent still runs); fix: ${row.fix}\n`,
          );
        }
      }
      if (stalledSyncs(agents).length > 0 || failedStores(agents).length > 0) setExitCode(1);
    });
  memory
    .command("resync [agentId]")
    .description("rebuild the Qdrant collection from the local stores (all agents, or one)")
    .action(async (agentId: string | undefined) => {
      const { resynced } = (await callGateway(
        "/__openclaw__/memory/resync",
        "POST",
        agentId ? { agentId } : {},
      )) as {
        resynced: string[];
      };
      process.stdout.write(`resync started for: ${resynced.join(", ") || "(none)"}\n`);
    });
  memory
    .command("repair <agentId>")
    .description(
      "rebuild a corrupt memory store: the damaged file is kept aside (<agent>.sqlite.corrupt-<time>), the new " +
        "store is filled from its readable rows, Qdrant (mode primary) and MEMORY.md, memory/*.md; " +
        "through the running gateway, or on the files when it is stopped",
    )
    .option("--force", "rebuild even a store that passes its integrity check")
    .option("--json", "print JSON")
    .action(async (agentId: string, options: { force?: boolean; json?: boolean }) => {
      const { describeRepair } = await import("../memory/index.js");
      const force = options.force === true;
      const report = (await runningGatewayUrl())
        ? ((await callGateway("/__openclaw__/memory/repair", "POST", {
            agentId,
            force,
          })) as MemoryRepairReport)
        : await repairWithoutGateway(program.opts<GlobalOptions>(), agentId, force);
      if (options.json) printJson(report);
      else process.stdout.write(`${describeRepair(report).join("\n")}\n`);
    });
}
