import type { Command } from "commander";
import { STALLED_SYNC_MS } from "../diagnostics/memory-checks.js";
import { callGateway } from "./gateway-api.js";
import { formatDuration, formatTable, printJson } from "./output.js";

interface MemoryRow {
  agentId: string;
  items: number;
  outboxDepth: number;
  syncLagMs?: number;
  syncState: string;
  lastError?: string;
  search: string;
}

/** A sync that is failed or has not caught up for STALLED_SYNC_MS (doctor says the same). */
export function stalledSyncs(rows: MemoryRow[]): MemoryRow[] {
  return rows.filter((row) => row.syncState === "failed" || (row.syncLagMs ?? 0) > STALLED_SYNC_MS);
}

/** `openclaw memory status | resync [agentId]`: the running gateway's agent memories. */
export function registerMemoryCommands(program: Command, setExitCode: (code: number) => void): void {
  const memory = program.command("memory").description("agent memories: status and Qdrant sync");
  memory
    .command("status")
    .description("per agent: items, outbox depth, sync lag and state, last error, search mode")
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
        const rows = [["AGENT", "ITEMS", "OUTBOX", "SYNC LAG", "SYNC", "SEARCH", "LAST ERROR"]];
        for (const row of agents) {
          rows.push([
            row.agentId,
            String(row.items),
            String(row.outboxDepth),
            row.syncLagMs === undefined ? "-" : formatDuration(row.syncLagMs),
            row.syncState,
            row.search,
            row.lastError ?? "",
          ]);
        }
        process.stdout.write(`${formatTable(rows)}\n`);
      }
      if (stalledSyncs(agents).length > 0) setExitCode(1);
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
}
