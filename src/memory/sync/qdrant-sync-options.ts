import type { Logger } from "../../logging/index.js";
import type { Outbox } from "./outbox.js";
import type { QdrantLike } from "./qdrant-collection.js";

export interface QdrantSyncOptions {
  agentId: string;
  outbox: Outbox;
  client: QdrantLike;
  collection: string;
  /** Size of the embedding vectors; the collection must take exactly this size. */
  dimensions: number;
  logger: Logger;
  /** Outbox entries per round trip. Default 64. */
  batchSize?: number;
  /** First delay after a failure. Default 500 ms. */
  minBackoffMs?: number;
  /** Longest delay between attempts while Qdrant is down. Default 30 s. */
  maxBackoffMs?: number;
  /** Clock for `lagMs` and `lastSyncAt`. */
  now?: () => number;
  /** How long a kick waits, so that the writes of one turn travel together. Default 50 ms. */
  kickDelayMs?: number;
  /** How often the idle loop looks at the outbox without a kick (writes by another process). Default 30 s. */
  pollIntervalMs?: number;
  /** How long `stop()` waits for a request in flight before leaving it. Default 5 s. */
  stopTimeoutMs?: number;
  /** Jitter source in [0, 1). */
  random?: () => number;
}
