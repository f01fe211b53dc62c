import type { Logger } from "../logging/index.js";
import { MemoryService } from "./memory-service.js";
import type { MemoryRepairReport } from "./repair/index.js";
import { scrollAgentPoints } from "./sync/index.js";
import { WorkspaceIndexer } from "./workspace-indexer.js";

export interface OfflineRepairOptions {
  stateDir: string;
  agentId: string;
  /** The agent's workspace, whose MEMORY.md and memory/*.md are indexed into the new store. */
  workspaceRoot?: string;
  force?: boolean;
  /** memory.qdrant, when its mode is "primary": the agent's points are put back. */
  qdrant?: { url: string; apiKey?: string; collection: string };
  logger: Logger;
}

/**
 * `openclaw memory repair` with no gateway running: the same repair, on the files directly.
 * No embedding model is called from here, so the rebuilt store is keyword-only until the
 * gateway starts; it then sees memories without vectors and re-embeds them in the background
 * (from the salvaged embedding cache where it can), and syncs them to Qdrant as usual.
 */
export async function repairOffline(options: OfflineRepairOptions): Promise<MemoryRepairReport> {
  const { agentId, logger } = options;
  const service = new MemoryService({ stateDir: options.stateDir, logger });
  const indexer = new WorkspaceIndexer((agent, path, text) => service.indexFile(agent, path, text), logger);
  try {
    const qdrant = options.qdrant;
    let qdrantPoints: (() => ReturnType<typeof scrollAgentPoints>) | undefined;
    if (qdrant) {
      const { QdrantClient } = await import("@qdrant/js-client-rest");
      const client = new QdrantClient({
        url: qdrant.url,
        checkCompatibility: false,
        ...(qdrant.apiKey ? { apiKey: qdrant.apiKey } : {}),
      });
      qdrantPoints = () => scrollAgentPoints(client, qdrant.collection, agentId);
    }
    const root = options.workspaceRoot;
    return await service.repair(agentId, {
      ...(options.force ? { force: true } : {}),
      ...(root ? { reindexWorkspace: () => indexer.indexAll(agentId, root) } : {}),
      ...(qdrantPoints ? { qdrantPoints } : {}),
    });
  } finally {
    indexer.close();
    await service.close();
  }
}
