import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { AGENT_ID_PATTERN } from "../config/schema.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { EmbeddingsClient } from "./embeddings/embeddings-client.js";
import type { AgentMemoryStatus } from "./memory-status.js";
import { answerToolCall, type MemoryToolCall } from "./memory-tool-call.js";
import { openAgentStore } from "./open-agent-store.js";
import { healthyReport, type MemoryRepairReport, rebuildStore } from "./repair/index.js";
import { isCorruption, type MemoryStore, type SearchHit } from "./store/index.js";
import { StoreFailures } from "./store-failures.js";
import type { QdrantMemoryPoint, QdrantSync } from "./sync/index.js";

export interface MemoryServiceOptions {
  stateDir: string;
  logger: Logger;
  embedder?: EmbeddingsClient;
  /** Builds the Qdrant sync of one agent's store, when memory.qdrant is set. */
  createSync?: (agentId: string, store: MemoryStore, dimensions: number) => QdrantSync;
  /** "primary": search Qdrant first (a memory shared by several gateways), the local store if it fails. */
  qdrantMode?: "sync" | "primary";
}

const REEMBED_BATCH = 64;

export interface MemoryRepairOptions {
  /** Rebuild even a store that passes its integrity check. */
  force?: boolean;
  /** Indexes the agent's workspace files into the new store; resolves with how many. */
  reindexWorkspace?: () => Promise<number>;
  /** Qdrant's points for the agent; by default its sync's, when memory.qdrant.mode is "primary". */
  qdrantPoints?: () => Promise<QdrantMemoryPoint[]>;
}

const KEYWORD_NOTE = "keyword search only: no embedding model is configured (memory.embeddings)";

function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The agents' memories: one SQLite store per agent under `<state>/memory/`, embeddings when a
 * model is configured (cached by content hash), and the Qdrant sync that drains each store's
 * outbox. Writes are acknowledged only once committed to the store with their outbox entry, so
 * a crash loses nothing that was acknowledged and Qdrant catches up afterwards.
 */
export class MemoryService {
  private readonly stores = new Map<string, MemoryStore>();
  private readonly failures: StoreFailures;
  private readonly syncs = new Map<string, QdrantSync>();
  private readonly reembedding = new Map<string, NodeJS.Timeout>();
  private readonly repairing = new Set<string>();
  private readonly directory: string;

  constructor(private readonly options: MemoryServiceOptions) {
    this.directory = join(options.stateDir, "memory");
    this.failures = new StoreFailures(options.logger);
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
   * left undrained by a crash is sent now, not when the agent next uses its memory).
   */
  openExisting(): void {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.endsWith(".sqlite")) continue;
      try {
        this.store(name.slice(0, -".sqlite".length));
      } catch (error) {
        // One agent's damaged file must not keep the gateway (and the other agents) down.
        if (!isCorruption(error)) throw error;
      }
    }
  }

  store(agentId: string): MemoryStore {
    this.failures.assertUsable(agentId);
    let store = this.stores.get(agentId);
    if (!store) {
      store = this.openStore(agentId);
      this.stores.set(agentId, store);
      this.startSync(agentId, store);
      if (this.options.embedder && store.withoutVector(1).length > 0) this.scheduleReembed(agentId, 0);
    }
    return store;
  }

  private openStore(agentId: string): MemoryStore {
    const path = this.pathOf(agentId);
    // A statement that finds the file damaged later fails the agent's memory, not just that call.
    const holder: { store?: MemoryStore } = {};
    try {
      holder.store = openAgentStore({
        path,
        agentId,
        logger: this.options.logger,
        ...(this.options.embedder ? { embedder: this.options.embedder } : {}),
        mirror: this.options.createSync !== undefined,
        onCorrupt: (reason) => this.storeFailed(agentId, holder.store, reason),
      });
      return holder.store;
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const reason =
        ((error as OpenClawError).details?.reason as string | undefined) ?? (error as Error).message;
      this.failures.record(agentId, path, reason);
      throw this.failures.explain(agentId, error);
    }
  }

  /** Embeds, in batches and off the request path, the memories that have no vector yet. */
  private scheduleReembed(agentId: string, delayMs: number): void {
    if (this.reembedding.has(agentId)) return;
    const timer = setTimeout(() => {
      this.reembedding.delete(agentId);
      void this.reembedBatch(agentId);
    }, delayMs);
    timer.unref();
    this.reembedding.set(agentId, timer);
  }

  private async reembedBatch(agentId: string): Promise<void> {
    const store = this.stores.get(agentId);
    if (!store || !this.options.embedder) return;
    const batch = store.withoutVector(REEMBED_BATCH);
    if (batch.length === 0) return;
    try {
      const vectors = await this.embedMany(
        agentId,
        batch.map((record) => record.text),
      );
      for (const [index, record] of batch.entries()) {
        const vector = vectors[index];
        if (vector && store.get(record.id)) store.setVector(record.id, vector);
      }
      this.syncs.get(agentId)?.kick();
      this.scheduleReembed(agentId, 0);
    } catch (error) {
      this.options.logger.warn(
        { agent: agentId, error: (error as Error).message },
        "re-embedding paused; retrying in 30 s",
      );
      this.scheduleReembed(agentId, 30_000);
    }
  }

  async remember(agentId: string, input: { text: string; tags: string[]; sessionKey: string }) {
    const vector = await this.embed(agentId, input.text);
    const record = this.store(agentId).add(
      { text: input.text, tags: input.tags, source: { sessionKey: input.sessionKey } },
      vector,
    );
    this.syncs.get(agentId)?.kick();
    return record;
  }

  async search(
    agentId: string,
    query: string,
    options: { limit?: number; tags?: string[] },
  ): Promise<{ hits: SearchHit[]; mode: string; note?: string }> {
    const store = this.store(agentId);
    const vector = query.trim() ? await this.embed(agentId, query).catch(() => undefined) : undefined;
    const sync = this.syncs.get(agentId);
    if (this.options.qdrantMode === "primary" && sync && vector) {
      try {
        const remote = await sync.search(
          Array.from(vector),
          options.limit ?? 8,
          options.tags ? { tags: options.tags } : undefined,
        );
        return {
          mode: "qdrant",
          hits: remote.map((hit) => ({
            record: {
              id: hit.memoryId,
              text: hit.text,
              tags: hit.tags,
              source: {},
              createdAt: "",
              updatedAt: "",
            },
            score: hit.score,
          })),
        };
      } catch (error) {
        this.options.logger.warn(
          { agent: agentId, error: (error as Error).message },
          "Qdrant search failed; using the local store",
        );
      }
    }
    const result = store.search(query, {
      ...(options.limit ? { limit: options.limit } : {}),
      ...(vector ? { vector } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
    });
    return {
      ...result,
      ...(result.mode === "keyword" && !this.options.embedder ? { note: KEYWORD_NOTE } : {}),
    };
  }

  forget(agentId: string, id: string): boolean {
    const forgotten = this.store(agentId).forget(id);
    if (forgotten) this.syncs.get(agentId)?.kick();
    return forgotten;
  }

  /** Re-indexes a workspace file (MEMORY.md, memory/*.md): its old chunks replaced by the new. */
  async indexFile(agentId: string, path: string, text: string): Promise<void> {
    try {
      await this.indexChunks(agentId, path, text);
    } catch (error) {
      throw this.failures.explain(agentId, error);
    }
  }

  private async indexChunks(agentId: string, path: string, text: string): Promise<void> {
    const chunks = text
      .split(/\n\s*\n/)
      .map((chunk) => chunk.trim())
      .filter((chunk) => chunk.length > 0)
      .flatMap((chunk) =>
        Buffer.byteLength(chunk) > 4000 ? (chunk.match(/[\s\S]{1,2000}/g) ?? []) : [chunk],
      );
    const vectors = this.options.embedder ? await this.embedMany(agentId, chunks) : [];
    this.store(agentId).replaceSource(
      path,
      chunks.map((chunk, index) => ({ text: chunk, ...(vectors[index] ? { vector: vectors[index] } : {}) })),
    );
    this.syncs.get(agentId)?.kick();
  }

  status(): AgentMemoryStatus[] {
    const search = this.options.embedder ? "hybrid" : "keyword";
    const ready = [...this.stores].flatMap(([agentId, store]): AgentMemoryStatus[] => {
      let items: number;
      let outboxDepth: number;
      let oldest: string | undefined;
      try {
        items = store.count();
        outboxDepth = store.outboxDepth();
        oldest = store.oldestPendingAt();
      } catch (error) {
        // Found damaged just now: listed below with the failures.
        if (isCorruption(error)) return [];
        throw error;
      }
      const sync = this.syncs.get(agentId)?.status();
      return [
        {
          agentId,
          state: "ready",
          items,
          outboxDepth,
          syncLagMs: sync ? sync.lagMs : oldest ? Date.now() - Date.parse(oldest) : undefined,
          syncState: sync?.state ?? "off",
          lastError: sync?.lastError,
          search,
        },
      ];
    });
    return [...ready, ...this.failures.statusRows(search)];
  }

  /**
   * `openclaw memory repair <agent>`: the damaged file (and its -wal/-shm) is moved aside and
   * kept, a new store is built in its place and filled with what can be recovered (see
   * rebuildStore). A store that passes its integrity check is left alone unless `force`.
   */
  async repair(agentId: string, options: MemoryRepairOptions = {}): Promise<MemoryRepairReport> {
    const path = this.pathOf(agentId);
    let problem = this.failures.get(agentId)?.reason;
    if (problem === undefined) {
      if (!existsSync(path)) {
        throw new OpenClawError("OC_ERR_NOT_FOUND", `agent "${agentId}" has no memory store (${path})`, {
          hint: "openclaw memory status lists the agents whose memory is in use",
        });
      }
      problem = this.checkNow(agentId);
      if (problem === undefined && !options.force) return healthyReport(agentId, this.store(agentId).count());
    }
    if (this.repairing.has(agentId)) {
      throw new OpenClawError("OC_ERR_MEMORY", `a repair of agent "${agentId}"'s memory is already running`, {
        hint: "wait for it to finish; openclaw memory status shows the store's state",
      });
    }
    this.repairing.add(agentId);
    try {
      return await this.rebuild(agentId, path, problem, options);
    } finally {
      this.repairing.delete(agentId);
    }
  }

  private async rebuild(
    agentId: string,
    path: string,
    problem: string | undefined,
    options: MemoryRepairOptions,
  ): Promise<MemoryRepairReport> {
    await this.detach(agentId);
    this.failures.clear(agentId);
    const primary = this.options.qdrantMode === "primary";
    const qdrantPoints =
      options.qdrantPoints ??
      (primary ? () => this.syncs.get(agentId)?.points() ?? Promise.resolve([]) : undefined);
    const report = await rebuildStore({
      agentId,
      path,
      problem: problem ?? "rebuilt on request (--force)",
      openFresh: () => this.store(agentId),
      ...(qdrantPoints ? { qdrantPoints } : {}),
      ...(options.reindexWorkspace ? { reindexWorkspace: options.reindexWorkspace } : {}),
    });
    if (!qdrantPoints) {
      report.notes.push(
        'Qdrant was not read (it is, with memory.qdrant.mode "primary"): the local store was the only copy',
      );
    }
    const store = this.store(agentId);
    if (this.options.embedder && store.withoutVector(1).length > 0) this.scheduleReembed(agentId, 0);
    this.syncs.get(agentId)?.kick();
    this.options.logger.warn(
      { agent: agentId, keptAside: report.keptAside, recovered: report.recovered, items: report.items },
      "memory store rebuilt",
    );
    return report;
  }

  /** The store's file, for an agent id that can only name a file in the memory directory. */
  private pathOf(agentId: string): string {
    if (!AGENT_ID_PATTERN.test(agentId)) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `"${agentId}" is not an agent id`, {
        hint: "agent ids are letters, digits, - and _ (openclaw agents list shows them)",
      });
    }
    return join(this.directory, `${agentId}.sqlite`);
  }

  /** quick_check of the agent's store now; a problem found also fails the store. */
  private checkNow(agentId: string): string | undefined {
    try {
      return this.store(agentId).checkIntegrity();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      return this.failures.get(agentId)?.reason ?? (error as Error).message;
    }
  }

  /** A statement found an open store damaged: fail the agent's memory and let go of the file. */
  private storeFailed(agentId: string, store: MemoryStore | undefined, reason: string): void {
    if (this.failures.get(agentId)) return;
    this.failures.record(agentId, this.pathOf(agentId), reason);
    // Deferred: the store is still inside the statement that found the damage.
    setImmediate(() => {
      if (store && this.stores.get(agentId) === store) void this.detach(agentId);
    });
  }

  /** Stops the agent's sync and re-embedding and closes its store (the file is free afterwards). */
  private async detach(agentId: string): Promise<void> {
    clearTimeout(this.reembedding.get(agentId));
    this.reembedding.delete(agentId);
    const sync = this.syncs.get(agentId);
    const store = this.stores.get(agentId);
    this.syncs.delete(agentId);
    this.stores.delete(agentId);
    await sync?.stop();
    store?.close();
  }

  /**
   * Rebuilds the Qdrant collection from the local stores. The collection is shared by every
   * agent, so all of them are re-sent, whichever agent asked.
   */
  async resync(agentId?: string): Promise<string[]> {
    if (agentId) this.store(agentId);
    const [first, ...others] = [...this.syncs.keys()];
    if (!first) {
      throw new OpenClawError("OC_ERR_MEMORY", "no agent memory is synced to Qdrant", {
        hint: "set memory.qdrant (url, collection) and memory.embeddings",
      });
    }
    await this.syncs.get(first)?.resync();
    for (const other of others) {
      this.stores.get(other)?.enqueueAll();
      this.syncs.get(other)?.kick();
    }
    return [first, ...others];
  }

  async close(): Promise<void> {
    for (const timer of this.reembedding.values()) clearTimeout(timer);
    this.reembedding.clear();
    await Promise.all([...this.syncs.values()].map((sync) => sync.stop()));
    for (const store of this.stores.values()) store.close();
    this.stores.clear();
    this.syncs.clear();
  }

  private startSync(agentId: string, store: MemoryStore): void {
    const dimensions = store.dimensions;
    if (!this.options.createSync || dimensions === undefined) return;
    const sync = this.options.createSync(agentId, store, dimensions);
    this.syncs.set(agentId, sync);
    sync.start();
  }

  private async embed(agentId: string, text: string): Promise<Float32Array | undefined> {
    if (!this.options.embedder) return undefined;
    return (await this.embedMany(agentId, [text]))[0];
  }

  /** Embeds with the store's cache: the same text under the same model is embedded once. */
  private async embedMany(agentId: string, texts: string[]): Promise<Float32Array[]> {
    const embedder = this.options.embedder;
    if (!embedder) return [];
    const store = this.store(agentId);
    const hashes = texts.map(contentHash);
    const vectors: (Float32Array | undefined)[] = hashes.map((hash) =>
      store.cachedEmbedding(embedder.model, hash),
    );
    const missing = texts.filter((_, index) => !vectors[index]);
    if (missing.length > 0) {
      const fresh = await embedder.embed(missing);
      let next = 0;
      for (const [index, vector] of vectors.entries()) {
        if (vector) continue;
        const made = fresh[next++] as Float32Array;
        vectors[index] = made;
        store.cacheEmbedding(embedder.model, hashes[index] as string, made);
      }
    }
    return vectors as Float32Array[];
  }
}
