import { randomUUID } from "node:crypto";
import type { IdempotencyStore } from "../idempotency-store.js";
import type { Storage, StorageOptions } from "../storage.js";
import { MemoryChannelInboxStore } from "./memory-channel-inbox-store.js";
import { channelStateOf } from "./memory-channel-location.js";
import { MemoryChannelPairingStore } from "./memory-channel-pairing-store.js";
import {
  MemoryCapabilityState,
  MemoryClusterEvents,
  MemoryFailureCounters,
  MemoryReplicaRegistry,
} from "./memory-cluster-state.js";
import type { IdempotencyEntries } from "./memory-idempotency-store.js";
import { MemoryIdempotencyStore } from "./memory-idempotency-store.js";
import { MemoryLocation } from "./memory-location.js";
import { MemoryNodePairingStore } from "./memory-node-pairing-store.js";
import { MemoryRunLock } from "./memory-run-lock.js";
import { MemoryThreadBindingStore } from "./memory-thread-binding-store.js";
import { MemoryTranscriptRepository } from "./memory-transcript-repository.js";
import { MemoryUsageRepository } from "./memory-usage-repository.js";

/**
 * A storage on a MemoryLocation (a new one unless given): for tests, and for a gateway that
 * should keep nothing. Two storages on one location share everything, locks and idempotency keys
 * included, as two gateways on one database do.
 */
export function createMemoryStorage(location = new MemoryLocation(), options: StorageOptions = {}): Storage {
  const now = options.now ?? Date.now;
  const nodes = new MemoryNodePairingStore(location, {
    now,
    ...(options.maxPendingNodes !== undefined ? { maxPending: options.maxPendingNodes } : {}),
  });
  return {
    kind: "memory",
    shared: true,
    events: new MemoryClusterEvents(location.cluster, randomUUID(), now),
    replicas: new MemoryReplicaRegistry(location.cluster, now),
    capabilityState: new MemoryCapabilityState(location.cluster, now),
    failureCounters: new MemoryFailureCounters(location.cluster, now),
    async reachable() {
      return true;
    },
    transcripts: new MemoryTranscriptRepository(location, now),
    usage: new MemoryUsageRepository(location),
    nodes,
    runLock: new MemoryRunLock({ now, leases: location.runLeases }),
    channelInbox: new MemoryChannelInboxStore(channelStateOf(location), now),
    channelPairing: new MemoryChannelPairingStore(channelStateOf(location), now),
    threadBindings: new MemoryThreadBindingStore(location),
    idempotency<T>(purpose: string): IdempotencyStore<T> {
      let entries: IdempotencyEntries | undefined = location.idempotency.get(purpose);
      if (!entries) {
        entries = new Map();
        location.idempotency.set(purpose, entries);
      }
      return new MemoryIdempotencyStore<T>({
        now,
        entries,
        ...(options.maxIdempotencyKeys !== undefined ? { maxEntries: options.maxIdempotencyKeys } : {}),
      });
    },
    async close() {
      await nodes.close();
    },
  };
}
