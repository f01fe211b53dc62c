import type { MemoryOutbox } from "./store/index.js";
import type { Outbox } from "./sync/index.js";

/**
 * A store's outbox as its sync gets it: the same entries, with each acknowledgement and each
 * resync reported, since they change what the status counts (the outbox depth and lag).
 */
export function observedOutbox(store: MemoryOutbox, onChange: () => void): Outbox {
  return {
    pendingOutbox: (limit) => store.pendingOutbox(limit),
    ackOutbox: async (seqs) => {
      await store.ackOutbox(seqs);
      onChange();
    },
    outboxDepth: () => store.outboxDepth(),
    oldestPendingAt: () => store.oldestPendingAt(),
    enqueueAll: async () => {
      const queued = await store.enqueueAll();
      onChange();
      return queued;
    },
  };
}
