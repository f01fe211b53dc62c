import { isOpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { type Embedder, embedWithCache } from "./cached-embeddings.js";
import type { AgentMemoryStore } from "./store/index.js";

const BATCH = 64;
const RETRY_MS = 30_000;

export interface ReembedderOptions {
  embedder: Embedder;
  logger: Logger;
  /** The agent's store if it is open now; re-embedding never opens one. */
  openStoreOf: (agentId: string) => AgentMemoryStore | undefined;
  /** Vectors were written: the sync and the status counts have news. */
  onVectors: (agentId: string) => void;
}

/**
 * Embeds, in batches and off the request path, the memories that have no vector yet: after the
 * embedding model changed, after a repair, after memories were written while the model was
 * down. Keyword search answers meanwhile.
 */
export class BackgroundReembedder {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: ReembedderOptions) {}

  /** Starts re-embedding the agent's store after `delayMs`, unless it is already scheduled. */
  schedule(agentId: string, delayMs: number): void {
    if (this.timers.has(agentId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(agentId);
      void this.batch(agentId);
    }, delayMs);
    timer.unref();
    this.timers.set(agentId, timer);
  }

  /** Schedules a pass when the store has memories without a vector. */
  async scheduleIfNeeded(agentId: string, store: AgentMemoryStore): Promise<void> {
    if ((await store.withoutVector(1)).length > 0) this.schedule(agentId, 0);
  }

  cancel(agentId: string): void {
    clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async batch(agentId: string): Promise<void> {
    const store = this.options.openStoreOf(agentId);
    if (!store) return;
    try {
      const batch = await store.withoutVector(BATCH);
      if (batch.length === 0) return;
      const vectors = await embedWithCache(
        this.options.embedder,
        store,
        batch.map((record) => record.text),
      );
      for (const [index, record] of batch.entries()) {
        const vector = vectors[index];
        if (vector) await this.setVectorUnlessForgotten(store, record.id, vector);
      }
      this.options.onVectors(agentId);
      this.schedule(agentId, 0);
    } catch (error) {
      // A store closed meanwhile (a repair, the gateway stopping) is no failure to retry.
      if (this.options.openStoreOf(agentId) !== store) return;
      this.options.logger.warn(
        { agent: agentId, error: (error as Error).message },
        "re-embedding paused; retrying in 30 s",
      );
      this.schedule(agentId, RETRY_MS);
    }
  }

  /** A memory forgotten while its text was being embedded simply needs no vector any more. */
  private async setVectorUnlessForgotten(
    store: AgentMemoryStore,
    id: string,
    vector: Float32Array,
  ): Promise<void> {
    try {
      await store.setVector(id, vector);
    } catch (error) {
      if (!(isOpenClawError(error) && error.code === "OC_ERR_NOT_FOUND")) throw error;
    }
  }
}
