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
