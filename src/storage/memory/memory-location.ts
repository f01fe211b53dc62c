import type { TranscriptEntry } from "../../sessions/transcript-entry.js";
import type { UsageEntry } from "../../usage/usage-entry.js";
import type { NodeChangeObserver, NodeRecord } from "../node-pairing-store.js";
import { MemoryClusterState } from "./memory-cluster-state.js";
import type { IdempotencyEntries } from "./memory-idempotency-store.js";
import type { RunLeases } from "./memory-run-lock.js";

/**
 * What a memory backend keeps, outside the storages opened on it: open a storage on the same
 * location again and everything stored is there (a restart), open two and they share it (two
 * gateways of one cluster). Tests only: nothing survives the process.
 */
export class MemoryLocation {
  /** Per session key, its serialized entries: stored as a database would, never by reference. */
  readonly transcripts = new Map<string, { lines: string[]; lastWrittenAt: number }>();
  readonly usage: string[] = [];
  nodes: ReadonlyMap<string, NodeRecord> = new Map();
  /** Node changes apply one at a time across every storage on the location. */
  nodeQueue: Promise<unknown> = Promise.resolve();
  /** Every storage's observers: a change through one is announced to all, as a shared store does. */
  readonly nodeObservers = new Set<NodeChangeObserver>();
  readonly runLeases: RunLeases = new Map();
  readonly idempotency = new Map<string, IdempotencyEntries>();
  /** Events, replicas, the capability key and revocations, failure counters. */
  readonly cluster = new MemoryClusterState();
}

export function parseTranscriptLines(lines: readonly string[]): TranscriptEntry[] {
  return lines.map((line) => JSON.parse(line) as TranscriptEntry);
}

export function parseUsageLines(lines: readonly string[]): UsageEntry[] {
  return lines.map((line) => JSON.parse(line) as UsageEntry);
}
