import type { AgentMemoryStore, RestoredMemory } from "../store/index.js";
import type { QdrantMemoryPoint } from "../sync/index.js";
import { moveStoreAside } from "./move-aside.js";
import type { MemoryRepairReport } from "./repair-report.js";
import { salvageStore } from "./salvage-store.js";

export interface RebuildInput {
  agentId: string;
  /** The store's file; nothing may have it open. */
  path: string;
  problem: string;
  /** Opens the new, empty store in place of the old one (the caller keeps it). */
  openFresh: () => Promise<AgentMemoryStore>;
  /** Every point Qdrant holds for the agent, when Qdrant is where memories live (mode "primary"). */
  qdrantPoints?: () => Promise<QdrantMemoryPoint[]>;
  /** Indexes the agent's MEMORY.md and memory/*.md into the new store; resolves with the file count. */
  reindexWorkspace?: () => Promise<number>;
  now?: Date;
}

function fromQdrant(point: QdrantMemoryPoint): RestoredMemory {
  const time = point.updatedAt ?? point.createdAt ?? new Date().toISOString();
  return {
    id: point.memoryId,
    text: point.text,
    tags: point.tags,
    source: point.sessionKey ? { sessionKey: point.sessionKey } : {},
    createdAt: point.createdAt ?? time,
    updatedAt: time,
    ...(point.vector ? { vector: new Float32Array(point.vector) } : {}),
  };
}

/**
 * Moves the damaged file aside and rebuilds the store from what can be recovered: the rows the
 * damaged file still gives up, Qdrant's points (the newer copy of a memory wins, and Qdrant's
 * vector comes along when the text is the same), then the workspace files. Workspace chunks are
 * never restored from the old file: the files on disk are the truth and are indexed afresh.
 */
export async function rebuildStore(input: RebuildInput): Promise<MemoryRepairReport> {
  const { asidePath, moved } = moveStoreAside(input.path, input.now);
  const salvage = salvageStore(asidePath);
  const store = await input.openFresh();
  const notes: string[] = [];
  const byId = new Map<string, RestoredMemory>(salvage.memories.map((memory) => [memory.id, memory]));
  let onlyInQdrant = 0;
  if (input.qdrantPoints) {
    try {
      for (const point of await input.qdrantPoints()) {
        if (point.path !== undefined) continue;
        const remote = fromQdrant(point);
        const local = byId.get(remote.id);
        if (!local) onlyInQdrant += 1;
        if (!local || remote.updatedAt > local.updatedAt) byId.set(remote.id, remote);
        else if (local.text === remote.text && remote.vector)
          byId.set(remote.id, { ...local, vector: remote.vector });
      }
    } catch (error) {
      notes.push(
        `Qdrant could not be read, its memories are not in the rebuilt store: ${(error as Error).message}`,
      );
    }
  }
  const { invalid } = await store.restore([...byId.values()]);
  let embeddings = 0;
  for (const embedding of salvage.embeddings) {
    try {
      await store.cacheEmbedding(embedding.model, embedding.contentHash, embedding.vector);
      embeddings += 1;
    } catch {
      // A torn cache entry is only a lost shortcut: that text is embedded again.
    }
  }
  let workspaceFiles = 0;
  if (input.reindexWorkspace) {
    try {
      workspaceFiles = await input.reindexWorkspace();
    } catch (error) {
      notes.push(`workspace files not indexed: ${(error as Error).message}`);
    }
  }
  return {
    agentId: input.agentId,
    repaired: true,
    problem: input.problem,
    keptAside: moved,
    recovered: {
      damagedFile: salvage.memories.length,
      fromOutbox: salvage.fromOutbox,
      qdrant: onlyInQdrant,
      embeddings,
      workspaceFiles,
    },
    unreadable: salvage.unreadable,
    droppedRows: salvage.tornRows + invalid,
    items: await store.count(),
    notes,
  };
}
