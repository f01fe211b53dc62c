import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { EmbeddingsClient } from "./embeddings/embeddings-client.js";
import { MemoryStore, type SearchHit } from "./store/index.js";
import type { QdrantSync } from "./sync/index.js";

/** What a memory tool of an agent asks (the agents' MemoryCall, seen from here). */
export interface MemoryToolCall {
  agentId: string;
  sessionKey: string;
  op: "store" | "search" | "forget";
  input: unknown;
}

export interface AgentMemoryStatus {
  agentId: string;
  items: number;
  outboxDepth: number;
  /** Age of the oldest write not yet in Qdrant, ms. */
  syncLagMs: number | undefined;
  syncState: string;
  lastError: string | undefined;
  search: "hybrid" | "keyword";
}

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

const KEYWORD_NOTE = "keyword search only: no embedding model is configured (memory.embeddings)";

function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function field(input: unknown, key: string): unknown {
  return typeof input === "object" && input !== null ? (input as Record<string, unknown>)[key] : undefined;
}

/**
 * The agents' memories: one SQLite store per agent under `<state>/memory/`, embeddings when a
 * model is configured (cached by content hash), and the Qdrant sync that drains each store's
 * outbox. Writes are acknowledged only once committed to the store with their outbox entry, so
 * a crash loses nothing that was acknowledged and Qdrant catches up afterwards.
 */
export class MemoryService {
  private readonly stores = new Map<string, MemoryStore>();
  private readonly syncs = new Map<string, QdrantSync>();
  private readonly reembedding = new Map<string, NodeJS.Timeout>();
  private readonly directory: string;

  constructor(private readonly options: MemoryServiceOptions) {
    this.directory = join(options.stateDir, "memory");
  }

  /** The tools' entry point: what a memory_* tool of an agent asked. */
  readonly call = async (call: MemoryToolCall): Promise<unknown> => {
    switch (call.op) {
      case "store": {
        const record = await this.remember(call.agentId, {
          text: String(field(call.input, "text") ?? ""),
          tags: (field(call.input, "tags") as string[] | undefined) ?? [],
          sessionKey: call.sessionKey,
        });
        return { stored: true, id: record.id };
      }
      case "search": {
        const limit = field(call.input, "limit");
        const tags = field(call.input, "tags") as string[] | undefined;
        const found = await this.search(call.agentId, String(field(call.input, "query") ?? ""), {
          ...(typeof limit === "number" ? { limit } : {}),
          ...(tags ? { tags } : {}),
        });
        return {
          mode: found.mode,
          ...(found.note ? { note: found.note } : {}),
          results: found.hits.map((hit) => ({
            id: hit.record.id,
            text: hit.record.text,
            tags: hit.record.tags,
            score: Math.round(hit.score * 10_000) / 10_000,
            ...(hit.record.source.sessionKey ? { session: hit.record.source.sessionKey } : {}),
            ...(hit.record.source.path ? { file: hit.record.source.path } : {}),
          })),
        };
      }
      case "forget":
        return { forgotten: this.forget(call.agentId, String(field(call.input, "id") ?? "")) };
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
      if (name.endsWith(".sqlite")) this.store(name.slice(0, -".sqlite".length));
    }
  }

  store(agentId: string): MemoryStore {
    let store = this.stores.get(agentId);
    if (!store) {
      store = this.openStore(agentId);
      this.stores.set(agentId, store);
      this.startSync(agentId, store);
      if (this.options.embedder && store.withoutVector(1).length > 0) this.scheduleReembed(agentId, 0);
    }
    return store;
  }

  /**
   * Opens an agent's store for the configured model. The model it was last embedded with is
   * kept beside it: when it changed, the old vectors are dropped (they mean nothing to the new
   * model) and everything is re-embedded in the background; keyword search works meanwhile.
   */
  private openStore(agentId: string): MemoryStore {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const path = join(this.directory, `${agentId}.sqlite`);
    const modelPath = `${path}.model.json`;
    const embedder = this.options.embedder;
    const dimensions = embedder?.dimensions;
    const outbox = this.options.createSync !== undefined && dimensions !== undefined;
    if (!embedder || dimensions === undefined) return MemoryStore.open(path, { outbox });
    const current = { model: embedder.model, dimensions };
    let previous: typeof current | undefined;
    try {
      previous = JSON.parse(readFileSync(modelPath, "utf8")) as typeof current;
    } catch {
      previous = undefined;
    }
    const changed =
      previous !== undefined && (previous.model !== current.model || previous.dimensions !== dimensions);
    let store: MemoryStore;
    if (changed) {
      store = MemoryStore.open(path, { outbox });
      store.resetVectors(dimensions);
      this.options.logger.info(
        { agent: agentId, from: previous?.model, to: current.model },
        "embedding model changed: re-embedding memories",
      );
    } else {
      store = MemoryStore.open(path, { dimensions, outbox });
    }
    writeFileSync(modelPath, `${JSON.stringify(current)}\n`, { mode: 0o600 });
    return store;
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
    return [...this.stores].map(([agentId, store]) => {
      const sync = this.syncs.get(agentId)?.status();
      const oldest = store.oldestPendingAt();
      return {
        agentId,
        items: store.count(),
        outboxDepth: store.outboxDepth(),
        syncLagMs: sync ? sync.lagMs : oldest ? Date.now() - Date.parse(oldest) : undefined,
        syncState: sync?.state ?? "off",
        lastError: sync?.lastError,
        search: this.options.embedder ? "hybrid" : "keyword",
      };
    });
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
