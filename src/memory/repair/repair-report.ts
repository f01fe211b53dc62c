import type { UnreadableRange } from "./readable-rows.js";

/** What `openclaw memory repair <agent>` did, for the CLI to print and for scripts (--json). */
export interface MemoryRepairReport {
  agentId: string;
  /** False when the store passed its integrity check and was left alone (`force` rebuilds it anyway). */
  repaired: boolean;
  /** What was wrong, in SQLite's words. */
  problem?: string;
  /** The damaged file and its -wal/-shm, moved aside and kept. */
  keptAside: string[];
  recovered: {
    /** Agent memories read back from the damaged file (its memories table and outbox). */
    damagedFile: number;
    /** Of those, the ones only the outbox still had (their row was on a damaged page). */
    fromOutbox: number;
    /** Agent memories only Qdrant had (memory.qdrant.mode "primary"). */
    qdrant: number;
    /** Cached embeddings carried over, so re-embedding costs no provider calls for them. */
    embeddings: number;
    /** Workspace files (MEMORY.md, memory/*.md) indexed again. */
    workspaceFiles: number;
  };
  /** Stretches of the damaged file that could not be read: their rows are lost unless Qdrant had them. */
  unreadable: UnreadableRange[];
  /** Rows that were read but no longer made sense, dropped. */
  droppedRows: number;
  /** Memories in the rebuilt store. */
  items: number;
  notes: string[];
}

/** A store that passed its integrity check: left as it was. */
export function healthyReport(agentId: string, items: number): MemoryRepairReport {
  return {
    agentId,
    repaired: false,
    keptAside: [],
    recovered: { damagedFile: 0, fromOutbox: 0, qdrant: 0, embeddings: 0, workspaceFiles: 0 },
    unreadable: [],
    droppedRows: 0,
    items,
    notes: [],
  };
}

/** The report as lines for a terminal. */
export function describeRepair(report: MemoryRepairReport): string[] {
  if (!report.repaired) {
    return [
      `memory store of agent "${report.agentId}" passed its integrity check (${report.items} items): nothing to repair`,
      "  (--force rebuilds it anyway)",
    ];
  }
  const { recovered } = report;
  const lines = [
    `memory store of agent "${report.agentId}" rebuilt: ${report.items} items`,
    `  problem: ${report.problem ?? "unknown"}`,
    `  damaged file kept: ${report.keptAside.join(", ") || "(none)"}`,
    `  recovered from the damaged file: ${recovered.damagedFile} memories (${recovered.fromOutbox} from its outbox), ${recovered.embeddings} cached embeddings`,
    `  recovered from Qdrant: ${recovered.qdrant} memories`,
    `  workspace files indexed again: ${recovered.workspaceFiles}`,
  ];
  for (const range of report.unreadable) {
    lines.push(
      `  unreadable: ${range.table} ${range.resumedAfter === undefined ? `after key ${range.after}` : `keys ${range.after}…${range.resumedAfter}`} (${range.error})`,
    );
  }
  if (report.droppedRows > 0) lines.push(`  dropped: ${report.droppedRows} torn rows`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines;
}
