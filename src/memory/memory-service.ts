import { readdirSync } from "node:fs";
import { join } from "node:path";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { BackgroundReembedder } from "./background-reembedder.js";
import { type Embedder, embedWithCache } from "./cached-embeddings.js";
import { type MemoryRepairOptions, MemoryRepairs } from "./memory-repair.js";
import { type AgentMemoryStatus, readyStatus } from "./memory-status.js";
import { answerToolCall, type MemoryToolCall } from "./memory-tool-call.js";
import { observedOutbox } from "./observed-outbox.js";
import { openAgentStore } from "./open-agent-store.js";
import { searchQdrant } from "./qdrant-primary-search.js";
import type { MemoryRepairReport } from "./repair/index.js";
import { type AgentMemoryStore, isCorruption, type MemoryRecord, type SearchHit } from "./store/index.js";
import { StoreCountBoard } from "./store-counts.js";
import { StoreFailures } from "./store-failures.js";
import { memoryStorePath } from "./store-path.js";
import type { Outbox, QdrantSync } from "./sync/index.js";
import { workspaceChunks } from "./workspace-chunks.js";

export type { MemoryRepairOptions } from "./memory-repair.js";

export interface MemoryServiceOptions {
  stateDir: string;
  logger: Logger;
  embedder?: Embedder;
  /** Builds the Qdrant sync of one agent's store (its outbox), when memory.qdrant is set. */
  createSync?: (agentId: string, outbox: Outbox, dimensions: number) => QdrantSync;
  /** "primary": search Qdrant first (a memory shared by several gateways), the local store if it fails. */
  qdrantMode?: "sync" | "primary";
}

const KEYWORD_NOTE = "keyword search only: no embedding model is configured (memory.embeddings)";

/**
 * The agents' memories: one store per agent (SQLite under `<state>/memory/`), used only through
 * the asynchronous `AgentMemoryStore` interface; embeddings when a model is configured (cached
 * by content hash), and the Qdrant sync that drains each store's outbox. Writes are acknowledged
 * only once committed to the store with their outbox entry, so a crash loses nothing that was
 * acknowledged and Qdrant catches up afterwards.
 */
export class MemoryService {
  private readonly stores = new Map<string, AgentMemoryStore>();
  /** Stores being opened: concurrent first calls for an agent share one open. */
  private readonly opening = new Map<string, Promise<AgentMemoryStore>>();
  private readonly failures: StoreFailures;
  private readonly syncs = new Map<string, QdrantSync>();
  private readonly counts = new StoreCountBoard();
  private readonly reembedder: BackgroundReembedder | undefined;
  private readonly repairs: MemoryRepairs;
  private readonly directory: string;

  /** The embeddings model (memory.embeddings), also serving `POST /v1/embeddings`. */
  get embedder(): Embedder | undefined {
    return this.options.embedder;
  }

  constructor(private readonly options: MemoryServiceOptions) {
    this.directory = join(options.stateDir, "memory");
    this.failures = new StoreFailures(options.logger);
    const embedder = options.embedder;
    this.reembedder = embedder
      ? new BackgroundReembedder({
          embedder,
          logger: options.logger,
          openStoreOf: (agentId) => this.stores.get(agentId),
          onVectors: (agentId) => this.changed(agentId),
        })
      : undefined;
    this.repairs = new MemoryRepairs({
      logger: options.logger,
      failures: this.failures,
      pathOf: (agentId) => this.pathOf(agentId),
      store: (agentId) => this.store(agentId),
      detach: (agentId) => this.detach(agentId),
      qdrantPointsOf: (agentId) =>
        options.qdrantMode === "primary"
          ? () => this.syncs.get(agentId)?.points() ?? Promise.resolve([])
          : undefined,
      rebuilt: async (agentId, store) => {
        await this.reembedder?.scheduleIfNeeded(agentId, store);
        this.changed(agentId);
      },
    });
  }

  /** The tools' entry point: what a memory_* tool of an agent asked. */
  readonly call = async (call: MemoryToolCall): Promise<unknown> => {
    try {
      return await answerToolCall(this, call);
    } catch (error) {
      throw this.failures.explain(call.agentId, error);
    }
  };

  /**
   * Opens every store already on disk, so that their syncs resume after a restart (an outbox
   * left undrained by a crash is sent now, not when the agent next uses its memory). Never
   * rejects: one agent's store that cannot be opened must not keep the others (or the gateway)
   * down; a damaged one is listed as failed, any other is logged and fails that agent's calls.
   */
  async openExisting(): Promise<void> {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return;
    }
    const agentIds = names.filter((name) => name.endsWith(".sqlite")).map((name) => name.slice(0, -7));
    await Promise.all(
      agentIds.map((agentId) =>
        this.store(agentId).catch((error: unknown) => {
          if (isCorruption(error)) return;
          this.options.logger.error(
            { agent: agentId, error: (error as Error).message },
            "memory store could not be opened",
          );
        }),
      ),
    );
  }

  /** The agent's store, opened on first use (and its sync started). */
  store(agentId: string): Promise<AgentMemoryStore> {
    try {
      this.failures.assertUsable(agentId);
    } catch (error) {
      return Promise.reject(error);
    }
    const open = this.stores.get(agentId);
    if (open) return Promise.resolve(open);
    let opening = this.opening.get(agentId);
    if (!opening) {
      opening = this.openStore(agentId).finally(() => this.opening.delete(agentId));
      this.opening.set(agentId, opening);
    }
    return opening;
  }

  private async openStore(agentId: string): Promise<AgentMemoryStore> {
    const path = this.pathOf(agentId);
    // A statement that finds the file damaged later fails the agent's memory, not just that call.
    const holder: { store?: AgentMemoryStore } = {};
    try {
      holder.store = await openAgentStore({
        path,
        agentId,
        logger: this.options.logger,
        ...(this.options.embedder ? { embedder: this.options.embedder } : {}),
        mirror: this.options.createSync !== undefined,
        onCorrupt: (reason) => this.storeFailed(agentId, holder.store, reason),
      });
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const reason =
        ((error as OpenClawError).details?.reason as string | undefined) ?? (error as Error).message;
      this.failures.record(agentId, path, reason);
      throw this.failures.explain(agentId, error);
    }
    const store = holder.store;
    this.stores.set(agentId, store);
    this.startSync(agentId, store);
    await this.counts.refresh(agentId, store);
    await this.reembedder?.scheduleIfNeeded(agentId, store);
    return store;
  }

  async remember(
    agentId: string,
    input: { text: string; tags: string[]; sessionKey: string },
  ): Promise<MemoryRecord> {
    const store = await this.store(agentId);
    const vector = await this.embed(store, input.text);
    const record = await store.add(
      { text: input.text, tags: input.tags, source: { sessionKey: input.sessionKey } },
      vector,
    );
    this.changed(agentId);
    return record;
  }

  async search(
    agentId: string,
    query: string,
    options: { limit?: number; tags?: string[] },
  ): Promise<{ hits: SearchHit[]; mode: string; note?: string }> {
    const store = await this.store(agentId);
    const vector = query.trim() ? await this.embed(store, query).catch(() => undefined) : undefined;
    const sync = this.syncs.get(agentId);
    if (this.options.qdrantMode === "primary" && sync && vector) {
      try {
        return { mode: "qdrant", hits: await searchQdrant(sync, vector, options) };
      } catch (error) {
        this.options.logger.warn(
          { agent: agentId, error: (error as Error).message },
          "Qdrant search failed; using the local store",
        );
      }
    }
    const result = await store.search(query, {
      ...(options.limit ? { limit: options.limit } : {}),
      ...(vector ? { vector } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
    });
    return {
      ...result,
      ...(result.mode === "keyword" && !this.options.embedder ? { note: KEYWORD_NOTE } : {}),
    };
  }

  async forget(agentId: string, id: string): Promise<boolean> {
    const forgotten = await (await this.store(agentId)).forget(id);
    if (forgotten) this.changed(agentId);
    return forgotten;
  }

  /** Re-indexes a workspace file (MEMORY.md, memory/*.md): its old chunks replaced by the new. */
  async indexFile(agentId: string, path: string, text: string): Promise<void> {
    try {
      const store = await this.store(agentId);
      const chunks = workspaceChunks(text);
      const embedder = this.options.embedder;
      const vectors = embedder ? await embedWithCache(embedder, store, chunks) : [];
      await store.replaceSource(
        path,
        chunks.map((chunk, index) => ({
          text: chunk,
          ...(vectors[index] ? { vector: vectors[index] } : {}),
        })),
      );
      this.changed(agentId);
    } catch (error) {
      throw this.failures.explain(agentId, error);
    }
  }

  /**
   * Per agent, as of the last counts read (at most a moment behind a change): callers that must
   * answer at once (the status report, /metrics) get it without waiting on a store. Counts found
   * stale are read again, for the next call; `readStatus` waits for them.
   */
  status(): AgentMemoryStatus[] {
    for (const [agentId, store] of this.stores) {
      if (this.counts.isStale(agentId)) void this.counts.refresh(agentId, store);
    }
    return this.statusRows();
  }

  /** `status()` with every store's counts read now. */
  async readStatus(): Promise<AgentMemoryStatus[]> {
    await Promise.all([...this.stores].map(([agentId, store]) => this.counts.refresh(agentId, store)));
    return this.statusRows();
  }

  private statusRows(): AgentMemoryStatus[] {
    const search = this.options.embedder ? "hybrid" : "keyword";
    // A store found damaged just now is listed with the failures.
    const ready = [...this.stores.keys()]
      .filter((agentId) => !this.failures.get(agentId))
      .map((agentId) =>
        readyStatus(agentId, this.counts.get(agentId), this.syncs.get(agentId)?.health(), search),
      );
    return [...ready, ...this.failures.statusRows(search)];
  }

  /** See MemoryRepairs: the damaged file kept aside, a new store built from what can be recovered. */
  repair(agentId: string, options: MemoryRepairOptions = {}): Promise<MemoryRepairReport> {
    return this.repairs.repair(agentId, options);
  }

  /**
   * Rebuilds the Qdrant collection from the local stores. The collection is shared by every
   * agent, so all of them are re-sent, whichever agent asked.
   */
  async resync(agentId?: string): Promise<string[]> {
    if (agentId) await this.store(agentId);
    const [first, ...others] = [...this.syncs.keys()];
    if (!first) {
      throw new OpenClawError("OC_ERR_MEMORY", "no agent memory is synced to Qdrant", {
        hint: "set memory.qdrant (url, collection) and memory.embeddings",
      });
    }
    await this.syncs.get(first)?.resync();
    for (const other of others) {
      await this.stores.get(other)?.enqueueAll();
      this.changed(other);
    }
    return [first, ...others];
  }

  async close(): Promise<void> {
    this.reembedder?.close();
    this.counts.close();
    await Promise.all([...this.syncs.values()].map((sync) => sync.stop()));
    await Promise.all([...this.stores.values()].map((store) => store.close()));
    this.stores.clear();
    this.syncs.clear();
  }

  private pathOf(agentId: string): string {
    return memoryStorePath(this.directory, agentId);
  }

  /** A write happened: the sync sends it soon, the status counts it soon. */
  private changed(agentId: string): void {
    this.syncs.get(agentId)?.kick();
    const store = this.stores.get(agentId);
    if (store) this.counts.changed(agentId, store);
  }

  /** A statement found an open store damaged: fail the agent's memory and let go of the store. */
  private storeFailed(agentId: string, store: AgentMemoryStore | undefined, reason: string): void {
    if (this.failures.get(agentId)) return;
    this.failures.record(agentId, this.pathOf(agentId), reason);
    // Deferred: the store is still inside the statement that found the damage.
    setImmediate(() => {
      if (store && this.stores.get(agentId) === store) void this.detach(agentId);
    });
  }

  /** Stops the agent's sync and re-embedding and closes its store (the file is free afterwards). */
  private async detach(agentId: string): Promise<void> {
    this.reembedder?.cancel(agentId);
    this.counts.forget(agentId);
    const sync = this.syncs.get(agentId);
    const store = this.stores.get(agentId);
    this.syncs.delete(agentId);
    this.stores.delete(agentId);
    await sync?.stop();
    await store?.close();
  }

  private startSync(agentId: string, store: AgentMemoryStore): void {
    const dimensions = store.dimensions;
    if (!this.options.createSync || dimensions === undefined) return;
    const outbox = observedOutbox(store, () => this.counts.changed(agentId, store));
    const sync = this.options.createSync(agentId, outbox, dimensions);
    this.syncs.set(agentId, sync);
    sync.start();
  }

  private async embed(store: AgentMemoryStore, text: string): Promise<Float32Array | undefined> {
    if (!this.options.embedder) return undefined;
    return (await embedWithCache(this.options.embedder, store, [text]))[0];
  }
}
