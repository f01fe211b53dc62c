import type { OpenAppendHandle } from "../../append-only/index.js";
import type { WriteOutcomeReporter } from "../../state-dir-health/index.js";
import type { IdempotencyStore } from "../idempotency-store.js";
import {
  MemoryCapabilityState,
  MemoryClusterEvents,
  MemoryClusterState,
  MemoryFailureCounters,
  MemoryReplicaRegistry,
} from "../memory/memory-cluster-state.js";
import { MemoryIdempotencyStore } from "../memory/memory-idempotency-store.js";
import { MemoryRunLock } from "../memory/memory-run-lock.js";
import type { Storage, StorageOptions } from "../storage.js";
import { ChannelDatabase } from "./channel-database.js";
import { SqliteChannelInboxStore } from "./channel-inbox-sqlite.js";
import { SqliteChannelPairingStore } from "./channel-pairing-sqlite.js";
import { FileNodePairingStore } from "./file-node-pairing-store.js";
import { FileTranscriptRepository } from "./file-transcript-repository.js";
import { FileUsageRepository } from "./file-usage-repository.js";
import { SqliteThreadBindingStore } from "./thread-binding-sqlite.js";

export interface FileStorageOptions extends StorageOptions {
  /** Told about every transcript, usage and channel database write's outcome: the state dir's health. */
  health?: WriteOutcomeReporter;
  /** A torn tail cut before an append (transcripts, usage). */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Opens a file for appending (tests pass handles whose writes fail). */
  open?: OpenAppendHandle;
  /** Told when nodes.json was found empty and the gateway starts with no paired nodes. */
  onEmptyNodesFile?: (message: string) => void;
}

/**
 * The state dir's files: transcripts, usage, nodes.json and the channel database
 * (`channels/channels.sqlite`: inbox and DM pairing) on disk; run leases and idempotency
 * keys in this process's memory, which is enough because one gateway runs per state dir (its
 * runtime-state lock sees to that). Nothing is read or created until first used, so the CLI can
 * open it to read usage without touching the rest.
 */
export function createFileStorage(stateDir: string, options: FileStorageOptions = {}): Storage {
  const { health, onRepaired, open, now } = options;
  const appendOptions = {
    ...(health ? { health } : {}),
    ...(onRepaired ? { onRepaired } : {}),
    ...(open ? { open } : {}),
  };
  const transcripts = new FileTranscriptRepository(stateDir, { ...appendOptions, ...(now ? { now } : {}) });
  const usage = new FileUsageRepository(stateDir, appendOptions);
  const nodes = new FileNodePairingStore(stateDir, {
    ...(options.maxPendingNodes !== undefined ? { maxPending: options.maxPendingNodes } : {}),
    ...(now ? { now } : {}),
    ...(options.onEmptyNodesFile ? { onEmptyFile: options.onEmptyNodesFile } : {}),
  });
  const channels = new ChannelDatabase(stateDir, health ? { health } : {});
  const idempotency = new Map<string, IdempotencyStore<unknown>>();
  // Alone on its state dir, the gateway is its own cluster: these stay in its memory (a restart
  // mints a new capability key, which voids the old URLs, as it always did).
  const cluster = new MemoryClusterState();
  const clock = now ?? Date.now;
  return {
    kind: "files",
    shared: false,
    events: new MemoryClusterEvents(cluster, "local", clock),
    replicas: new MemoryReplicaRegistry(cluster, clock),
    capabilityState: new MemoryCapabilityState(cluster, clock),
    failureCounters: new MemoryFailureCounters(cluster, clock),
    async reachable() {
      return true;
    },
    transcripts,
    usage,
    nodes,
    runLock: new MemoryRunLock(now ? { now } : {}),
    channelInbox: new SqliteChannelInboxStore(channels, now),
    channelPairing: new SqliteChannelPairingStore(channels, now),
    threadBindings: new SqliteThreadBindingStore(channels),
    idempotency<T>(purpose: string): IdempotencyStore<T> {
      let store = idempotency.get(purpose);
      if (!store) {
        store = new MemoryIdempotencyStore<unknown>({
          ...(now ? { now } : {}),
          ...(options.maxIdempotencyKeys !== undefined ? { maxEntries: options.maxIdempotencyKeys } : {}),
        });
        idempotency.set(purpose, store);
      }
      return store as IdempotencyStore<T>;
    },
    async close() {
      await Promise.all([transcripts.close(), usage.close(), nodes.close()]);
      channels.close();
    },
  };
}
