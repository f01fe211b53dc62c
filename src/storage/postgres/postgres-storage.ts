import { randomUUID } from "node:crypto";
import type { IdempotencyStore } from "../idempotency-store.js";
import { DEFAULT_MAX_IDEMPOTENCY_KEYS, type Storage, type StorageOptions } from "../storage.js";
import { PostgresCapabilityState } from "./postgres-capability-state.js";
import { PostgresChannelInboxStore } from "./postgres-channel-inbox-store.js";
import { PostgresChannelPairingStore } from "./postgres-channel-pairing-store.js";
import { PostgresClusterEvents } from "./postgres-cluster-events.js";
import { PostgresDatabase, unreachable } from "./postgres-database.js";
import { PostgresFailureCounters } from "./postgres-failure-counters.js";
import { PostgresIdempotencyStore } from "./postgres-idempotency-store.js";
import { PostgresListener } from "./postgres-listener.js";
import { type MigrationResult, migrate } from "./postgres-migrate.js";
import { PostgresNodePairingStore } from "./postgres-node-pairing-store.js";
import { PostgresReplicaRegistry } from "./postgres-replica-registry.js";
import { PostgresRunLock } from "./postgres-run-lock.js";
import { PostgresThreadBindingStore } from "./postgres-thread-binding-store.js";
import { PostgresTranscriptRepository } from "./postgres-transcript-repository.js";
import { PostgresUsageRepository } from "./postgres-usage-repository.js";

export interface PostgresStorageOptions extends StorageOptions {
  /** `postgresql://user:password@host:port/database`: resolved from a secret, never logged. */
  url: string;
  /** Pooled connections at most (default 10); one more LISTENs. */
  poolSize?: number;
  /** Names this gateway in cluster events' `origin` (ReplicaIdentity.id); random when absent. */
  replicaId?: string;
}

/** A Storage on PostgreSQL, with the pool automation's stores (cron) build on. */
export interface PostgresStorage extends Storage {
  readonly kind: "postgres";
  readonly database: PostgresDatabase;
  /** What the start's migration did. */
  readonly migration: MigrationResult;
}

/**
 * Opens the storage several gateways share: migrates the schema (once, whoever comes first),
 * starts the LISTEN connection and answers once both are done. Expiries (run leases, replicas,
 * idempotency keys, failure counters, revocations) are judged by the database's clock unless
 * `now` is given (tests); times the gateway stamps on records (an inbox entry's updatedAt) are
 * the gateway's own. Fails with OC_ERR_STORAGE_UNREACHABLE when the database does not answer,
 * OC_ERR_STORAGE_SCHEMA when its schema is newer than this build.
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const database = new PostgresDatabase({
    url: options.url,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const origin = options.replicaId ?? randomUUID();
  const listener = new PostgresListener(options.url);
  let migration: MigrationResult;
  const events = new PostgresClusterEvents(database, origin);
  const nodes = new PostgresNodePairingStore(database, origin, {
    ...(options.maxPendingNodes !== undefined ? { maxPending: options.maxPendingNodes } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  try {
    migration = await migrate(database);
    events.attach(listener);
    nodes.attach(listener);
    try {
      await listener.start();
    } catch (error) {
      throw unreachable(database.location, error);
    }
    await events.start();
  } catch (error) {
    await listener.close();
    await database.close();
    throw error;
  }
  const transcripts = new PostgresTranscriptRepository(database);
  const idempotency = new Map<string, IdempotencyStore<unknown>>();
  const maxIdempotencyKeys = Math.max(1, options.maxIdempotencyKeys ?? DEFAULT_MAX_IDEMPOTENCY_KEYS);
  return {
    kind: "postgres",
    shared: true,
    database,
    migration,
    transcripts,
    usage: new PostgresUsageRepository(database),
    nodes,
    runLock: new PostgresRunLock(database),
    channelInbox: new PostgresChannelInboxStore(database),
    channelPairing: new PostgresChannelPairingStore(database),
    threadBindings: new PostgresThreadBindingStore(database),
    idempotency<T>(purpose: string): IdempotencyStore<T> {
      let store = idempotency.get(purpose);
      if (!store) {
        store = new PostgresIdempotencyStore<unknown>(database, purpose, maxIdempotencyKeys);
        idempotency.set(purpose, store);
      }
      return store as IdempotencyStore<T>;
    },
    events,
    replicas: new PostgresReplicaRegistry(database),
    capabilityState: new PostgresCapabilityState(database),
    failureCounters: new PostgresFailureCounters(database),
    reachable: () => database.reachable(),
    async close() {
      await transcripts.close();
      await nodes.close();
      await listener.close();
      await database.close();
    },
  };
}
