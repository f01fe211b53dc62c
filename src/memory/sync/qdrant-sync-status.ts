export type QdrantSyncState = "idle" | "syncing" | "backing-off" | "stopped" | "failed";

/** What the sync knows without asking the outbox: its state and its last failure. */
export interface QdrantSyncHealth {
  lastError?: string;
  /** When a pass last left the outbox empty. */
  lastSyncAt?: string;
  state: QdrantSyncState;
  consecutiveFailures: number;
  /** The delay before the next attempt, while backing off. */
  backoffMs?: number;
}

export interface QdrantSyncStatus extends QdrantSyncHealth {
  /** Outbox entries not yet confirmed by Qdrant. */
  depth: number;
  /** Age of the oldest of them, ms. */
  lagMs: number | undefined;
}
