import type { MemoryRecordLike, OutboxEntry } from "./outbox.js";

export interface UpsertRun {
  op: "upsert";
  entries: Array<{ memoryId: string; record: MemoryRecordLike; vector: number[] }>;
  /** The highest seq this run settles: once it is applied, every entry up to it may be acked. */
  lastSeq: number;
}

export interface DeleteRun {
  op: "delete";
  memoryIds: string[];
  lastSeq: number;
}

export type SyncRun = UpsertRun | DeleteRun;

export interface SkippedEntry {
  entry: OutboxEntry;
  reason: string;
}

export interface CoalescedBatch {
  /** Requests to send, in this order. */
  runs: SyncRun[];
  /** Entries Qdrant cannot take (no vector, wrong size): acked with a warning, or they would block the queue forever. */
  skipped: SkippedEntry[];
  /** Every seq of the batch, ascending. */
  seqs: number[];
}

function skipReason(entry: OutboxEntry, dimensions: number): string | undefined {
  if (entry.op !== "upsert") return undefined;
  if (!entry.record) return "upsert without its record";
  if (!entry.vector) return "upsert without a vector (written while no embedding model was configured)";
  if (entry.vector.length !== dimensions) {
    return `vector of ${entry.vector.length} dimensions, the collection takes ${dimensions}`;
  }
  if (!Array.prototype.every.call(entry.vector, Number.isFinite)) return "vector with a non-finite number";
  return undefined;
}

/**
 * Reduces a batch of outbox entries to the fewest requests with the same end state. Upserts
 * overwrite and deletes remove whole points, so a memory's end state is its last entry: earlier
 * entries for the same memory are dropped, and the survivors keep their relative order, grouped
 * into runs of the same operation (an upsert then a delete of one memory ends deleted).
 */
export function coalesceEntries(batch: readonly OutboxEntry[], dimensions: number): CoalescedBatch {
  const entries = [...batch].sort((left, right) => left.seq - right.seq);
  const skipped: SkippedEntry[] = [];
  const usable: OutboxEntry[] = [];
  for (const entry of entries) {
    const reason = skipReason(entry, dimensions);
    if (reason) skipped.push({ entry, reason });
    else usable.push(entry);
  }

  const lastSeqOf = new Map<string, number>();
  for (const entry of usable) lastSeqOf.set(entry.memoryId, entry.seq);

  const runs: SyncRun[] = [];
  for (const entry of usable) {
    if (lastSeqOf.get(entry.memoryId) !== entry.seq) continue;
    let run = runs.at(-1);
    if (run?.op !== entry.op) {
      run =
        entry.op === "upsert"
          ? { op: "upsert", entries: [], lastSeq: entry.seq }
          : { op: "delete", memoryIds: [], lastSeq: entry.seq };
      runs.push(run);
    }
    run.lastSeq = entry.seq;
    if (run.op === "upsert") {
      run.entries.push({
        memoryId: entry.memoryId,
        record: entry.record as MemoryRecordLike,
        // A Float32Array would serialize as an object, not a JSON array.
        vector: Array.from(entry.vector as ArrayLike<number>),
      });
    } else {
      run.memoryIds.push(entry.memoryId);
    }
  }
  return { runs, skipped, seqs: entries.map((entry) => entry.seq) };
}
