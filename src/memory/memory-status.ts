import type { StoreCounts } from "./store-counts.js";
import type { QdrantSyncHealth } from "./sync/index.js";

export interface AgentMemoryStatus {
  agentId: string;
  /** "failed": the store is corrupt and every memory call is refused until it is repaired. Absent: ready. */
  state?: "ready" | "failed";
  /** Why the store failed, in SQLite's words. */
  failure?: string;
  /** What to run about the failure. */
  fix?: string;
  /** 0 while failed: a damaged file cannot be trusted to count. */
  items: number;
  outboxDepth: number;
  /** Age of the oldest write not yet in Qdrant, ms. */
  syncLagMs: number | undefined;
  syncState: string;
  lastError: string | undefined;
  search: "hybrid" | "keyword";
}

/** The status of an agent whose store is open and healthy. */
export function readyStatus(
  agentId: string,
  counts: StoreCounts | undefined,
  sync: QdrantSyncHealth | undefined,
  search: AgentMemoryStatus["search"],
): AgentMemoryStatus {
  const oldest = counts?.oldestPendingAt;
  return {
    agentId,
    state: "ready",
    items: counts?.items ?? 0,
    outboxDepth: counts?.outboxDepth ?? 0,
    syncLagMs: oldest ? Math.max(0, Date.now() - Date.parse(oldest)) : undefined,
    syncState: sync?.state ?? "off",
    lastError: sync?.lastError,
    search,
  };
}
