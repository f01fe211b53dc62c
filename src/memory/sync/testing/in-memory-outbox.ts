import type { MemoryRecordLike, Outbox, OutboxEntry } from "../outbox.js";

export interface InMemoryWrite {
  id: string;
  text: string;
  tags?: string[];
  sessionKey?: string;
  path?: string;
  vector?: number[];
}

interface StoredMemory {
  record: MemoryRecordLike;
  vector: number[] | undefined;
}

/**
 * The outbox of a memory store, held in arrays: what `QdrantSync` sees of the SQLite store.
 * `clone()` is what a crash leaves behind when acks were not yet persisted.
 */
export class InMemoryOutbox implements Outbox {
  /** Every ack, in order: one array per `ackOutbox` call. */
  readonly acks: number[][] = [];
  private readonly memories = new Map<string, StoredMemory>();
  private entries: OutboxEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly now: () => number = Date.now) {}

  write(input: InMemoryWrite): MemoryRecordLike {
    const at = new Date(this.now()).toISOString();
    const previous = this.memories.get(input.id);
    const record: MemoryRecordLike = {
      id: input.id,
      text: input.text,
      tags: input.tags ?? [],
      source: {
        ...(input.sessionKey !== undefined ? { sessionKey: input.sessionKey } : {}),
        ...(input.path !== undefined ? { path: input.path } : {}),
      },
      createdAt: previous?.record.createdAt ?? at,
      updatedAt: at,
    };
    this.memories.set(input.id, { record, vector: input.vector });
    this.enqueue("upsert", input.id, { record, vector: input.vector });
    return record;
  }

  remove(id: string): boolean {
    if (!this.memories.delete(id)) return false;
    this.enqueue("delete", id);
    return true;
  }

  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    return this.entries.slice(0, limit).map((entry) => structuredClone(entry));
  }

  async ackOutbox(seqs: number[]): Promise<void> {
    this.acks.push([...seqs]);
    const settled = new Set(seqs);
    this.entries = this.entries.filter((entry) => !settled.has(entry.seq));
  }

  async outboxDepth(): Promise<number> {
    return this.entries.length;
  }

  async oldestPendingAt(): Promise<string | undefined> {
    return this.entries[0]?.enqueuedAt;
  }

  async enqueueAll(): Promise<number> {
    for (const [id, memory] of this.memories) this.enqueue("upsert", id, memory);
    return this.memories.size;
  }

  /** A copy with the same memories, pending entries and sequence. */
  clone(): InMemoryOutbox {
    const copy = new InMemoryOutbox(this.now);
    for (const [id, memory] of this.memories) copy.memories.set(id, structuredClone(memory));
    copy.entries = structuredClone(this.entries);
    copy.nextSeq = this.nextSeq;
    return copy;
  }

  private enqueue(op: OutboxEntry["op"], memoryId: string, memory?: Partial<StoredMemory>): void {
    this.entries.push({
      seq: this.nextSeq++,
      op,
      memoryId,
      ...(memory?.record ? { record: structuredClone(memory.record) } : {}),
      ...(memory?.vector ? { vector: [...memory.vector] } : {}),
      enqueuedAt: new Date(this.now()).toISOString(),
    });
  }
}
