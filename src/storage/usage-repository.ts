import type { DamageReport } from "../append-only/index.js";
import type { UsageEntry } from "../usage/usage-entry.js";

/** Which sums a query wants. Sums are kept per minute: a minute counts when any of it is in range. */
export interface UsageRange {
  /** Epoch ms: minutes that end after it. */
  since?: number;
  /** Epoch ms: minutes that start before it. */
  until?: number;
  /** Only this agent's sums. */
  agent?: string;
}

export interface UsageRead {
  /** Several entries may share a minute, agent, session and model (one per flush): add them up. */
  entries: UsageEntry[];
  /** Stored sums that could not be counted (torn, foreign), one report per place; empty when none. */
  damage: DamageReport[];
}

/**
 * Token counts and model latency summed per minute, agent, session and model (`openclaw usage`).
 * The gateway's UsageLedger sums turns in memory and records the sums every few seconds; routes
 * and the CLI read through `query`, never through where the sums are kept.
 */
export interface UsageRepository {
  /** Where the sums are, for messages: a directory, a database without its credentials. */
  readonly location: string;
  /**
   * Stores sums. All or nothing: when it rejects, none of them is stored, so the caller may hand
   * them in again (added to newer sums) without counting a turn twice.
   */
  record(entries: readonly UsageEntry[]): Promise<void>;
  query(range?: UsageRange): Promise<UsageRead>;
  close(): Promise<void>;
}

const MINUTE_MS = 60_000;

/** Whether a stored sum answers a query: what every backend's `query` filters by. */
export function usageEntryInRange(entry: UsageEntry, range: UsageRange): boolean {
  if (range.agent !== undefined && entry.agent !== range.agent) return false;
  const start = Date.parse(entry.minute);
  if (range.since !== undefined && start + MINUTE_MS <= range.since) return false;
  return range.until === undefined || start < range.until;
}
