import type { TranscriptEntry } from "../../sessions/transcript-entry.js";
import type { UsageEntry } from "../../usage/usage-entry.js";
import type { Storage, StorageOptions } from "../storage.js";

/** How stored data is found damaged after a restart: what a kill, a full disk or another program leaves. */
export type DamageKind =
  /** Present but holding nothing (zero bytes: a file created and never written). */
  | "empty"
  /** The last thing written cut off midway (a kill or a full disk mid-write). */
  | "torn"
  /** Something another program wrote, or an older build. */
  | "foreign";

export type StorageDamage =
  | { store: "transcripts"; sessionKey: string; kind: DamageKind }
  | { store: "usage"; day: string; kind: DamageKind }
  | { store: "nodes"; kind: DamageKind };

/** One test's place to keep state: a temp dir, a database schema, a MemoryLocation. */
export interface StoragePlace {
  /** Opens a storage on the place; again after `close` is a restart, while open a second gateway. */
  open(options: StorageOptions & { now: () => number }): Promise<Storage>;
  /**
   * Damages what is stored while no storage is open on the place. Absent for a backend that
   * cannot be damaged so (a database's rows are whole or absent): those tests are skipped.
   */
  damage?(damage: StorageDamage): Promise<void>;
  dispose(): Promise<void>;
}

/** What a backend hands the contract suite. */
export interface StorageBackendUnderTest {
  name: string;
  /**
   * Whether two storages open on one place share run leases, idempotency keys and node change
   * events, as the gateways of one cluster do. The files backend does not: one gateway runs per
   * state dir.
   */
  shared: boolean;
  /** Whether its places can be damaged (StoragePlace.damage); the damage tests run only then. */
  damageable: boolean;
  createPlace(): Promise<StoragePlace>;
  /**
   * Cuts every connection its storages hold (a database restart, a network cut), for a backend
   * that has connections: the events tests then check nothing published meanwhile is missed.
   */
  interruptConnections?(): Promise<void>;
}

/** The clock every test injects: TTLs are passed by moving it, never by sleeping. */
export class TestClock {
  constructor(private current = Date.parse("2026-03-15T12:00:00.000Z")) {}

  readonly now = (): number => this.current;

  advance(ms: number): void {
    this.current += ms;
  }
}

let sequence = 0;

export function transcriptEntry(
  sessionKey: string,
  content: string,
  fields: Partial<TranscriptEntry> = {},
): TranscriptEntry {
  sequence++;
  return {
    type: "message",
    id: `entry-${sequence}`,
    ts: Date.parse("2026-03-15T12:00:00.000Z") + sequence,
    sessionKey,
    agentId: "main",
    runId: "run",
    role: "user",
    content,
    ...fields,
  };
}

export function usageEntry(minute: string, fields: Partial<UsageEntry> = {}): UsageEntry {
  return {
    minute,
    agent: "main",
    session: "agent:main:main",
    model: "dev/echo",
    turns: 1,
    calls: 1,
    input: 10,
    output: 2,
    cached: 0,
    latency: { count: 1, sum: 100, max: 100, buckets: { "10": 1 } },
    ...fields,
  };
}
