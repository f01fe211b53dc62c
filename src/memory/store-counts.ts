import type { AgentMemoryStore } from "./store/index.js";

export interface StoreCounts {
  items: number;
  outboxDepth: number;
  /** `enqueuedAt` of the oldest outbox entry, for the sync's lag. */
  oldestPendingAt: string | undefined;
}

/** After a change, the counts are read again this long after it, so a burst costs one read. */
const REFRESH_DELAY_MS = 100;

interface Refresh {
  /** A change came while reading: read once more before resolving. */
  again: boolean;
  done: Promise<void>;
}

/**
 * The last counts read from each agent's store. `MemoryService.status()` answers at once (the
 * status report and /metrics read it synchronously) while a store answers asynchronously, and
 * counting a large store on every write would cost more than the write: so the counts are read
 * shortly after changes and on request, and lag a change by that much at most.
 */
export class StoreCountBoard {
  private readonly counts = new Map<string, StoreCounts>();
  private readonly stale = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly refreshing = new Map<string, Refresh>();

  get(agentId: string): StoreCounts | undefined {
    return this.counts.get(agentId);
  }

  isStale(agentId: string): boolean {
    return this.stale.has(agentId);
  }

  /** The store changed: its counts are read again shortly. */
  changed(agentId: string, store: AgentMemoryStore): void {
    this.stale.add(agentId);
    if (this.timers.has(agentId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(agentId);
      void this.refresh(agentId, store);
    }, REFRESH_DELAY_MS);
    timer.unref();
    this.timers.set(agentId, timer);
  }

  /** Reads the store's counts now; resolves once a read that started after this call is done. */
  refresh(agentId: string, store: AgentMemoryStore): Promise<void> {
    const running = this.refreshing.get(agentId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const refresh: Refresh = { again: false, done: Promise.resolve() };
    this.refreshing.set(agentId, refresh);
    refresh.done = (async () => {
      try {
        do {
          refresh.again = false;
          this.stale.delete(agentId);
          await this.read(agentId, store);
        } while (refresh.again);
      } finally {
        this.refreshing.delete(agentId);
      }
    })();
    return refresh.done;
  }

  /** The agent's store was closed: its counts mean nothing any more. */
  forget(agentId: string): void {
    clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
    this.counts.delete(agentId);
    this.stale.delete(agentId);
  }

  close(): void {
    for (const agentId of [...this.timers.keys()]) this.forget(agentId);
    this.counts.clear();
  }

  private async read(agentId: string, store: AgentMemoryStore): Promise<void> {
    try {
      const [items, outboxDepth, oldestPendingAt] = await Promise.all([
        store.count(),
        store.outboxDepth(),
        store.oldestPendingAt(),
      ]);
      this.counts.set(agentId, { items, outboxDepth, oldestPendingAt });
    } catch {
      // Kept as they were: a damaged store is reported by its failure, a closed one is forgotten.
    }
  }
}
