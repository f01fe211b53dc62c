import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../logging/index.js";
import type { Embedder } from "./cached-embeddings.js";
import { type AgentMemoryStore, SqliteMemoryStore } from "./store/index.js";

export interface AgentStoreOptions {
  agentId: string;
  path: string;
  logger: Logger;
  embedder?: Embedder;
  /** Whether writes enqueue outbox entries (a Qdrant sync will drain them). */
  mirror: boolean;
  onCorrupt: (reason: string) => void;
}

/**
 * Opens an agent's SQLite store (`<state>/memory/<agent>.sqlite`) for the configured model. The model it was last embedded with is
 * kept beside it: when it changed, the old vectors are dropped (they mean nothing to the new
 * model) and everything is re-embedded in the background; keyword search works meanwhile.
 */
export async function openAgentStore(options: AgentStoreOptions): Promise<AgentMemoryStore> {
  const { path, embedder, onCorrupt } = options;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const dimensions = embedder?.dimensions;
  const outbox = options.mirror && dimensions !== undefined;
  if (!embedder || dimensions === undefined) return SqliteMemoryStore.open(path, { outbox, onCorrupt });
  const modelPath = `${path}.model.json`;
  const current = { model: embedder.model, dimensions };
  let previous: typeof current | undefined;
  try {
    previous = JSON.parse(readFileSync(modelPath, "utf8")) as typeof current;
  } catch {
    previous = undefined;
  }
  const changed =
    previous !== undefined && (previous.model !== current.model || previous.dimensions !== dimensions);
  let store: SqliteMemoryStore;
  if (changed) {
    store = SqliteMemoryStore.open(path, { outbox, onCorrupt });
    try {
      await store.resetVectors(dimensions);
    } catch (error) {
      await store.close();
      throw error;
    }
    options.logger.info(
      { agent: options.agentId, from: previous?.model, to: current.model },
      "embedding model changed: re-embedding memories",
    );
  } else {
    store = SqliteMemoryStore.open(path, { dimensions, outbox, onCorrupt });
  }
  writeFileSync(modelPath, `${JSON.stringify(current)}\n`, { mode: 0o600 });
  return store;
}
