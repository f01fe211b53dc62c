/**
 * What the sync needs from a memory store: its outbox, a durable queue of writes not yet in
 * Qdrant. Declared here so that the sync never imports the store; the store satisfies it
 * structurally, and so would any other store (each call is async). Nothing the sync knows lives only in memory: entries leave the outbox only
 * through `ackOutbox`, after Qdrant confirmed them, so a restart resumes where it stopped.
 */

export interface MemoryRecordLike {
  id: string;
  text: string;
  tags: string[];
  source: { sessionKey?: string; path?: string };
  createdAt: string;
  updatedAt: string;
}

export interface OutboxEntry {
  /** Increasing with every enqueue: the order in which writes happened. */
  seq: number;
  op: "upsert" | "delete";
  memoryId: string;
  /** The record as it was written; present on upserts. */
  record?: MemoryRecordLike;
  /** Its embedding; a plain array or a typed array, absent when no embedder was configured. */
  vector?: ArrayLike<number>;
  enqueuedAt: string;
}

export interface Outbox {
  /** The oldest pending entries, in `seq` order. */
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  ackOutbox(seqs: number[]): Promise<void>;
  outboxDepth(): Promise<number>;
  /** `enqueuedAt` of the oldest pending entry. */
  oldestPendingAt(): Promise<string | undefined>;
  /** Enqueues an upsert of every record (after a collection was recreated); returns how many. */
  enqueueAll(): Promise<number>;
}
