import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { EmbeddingsClient } from "../memory/embeddings/embeddings-client.js";
import { MemoryService, WorkspaceIndexer } from "../memory/index.js";
import type { GatewayCredentials } from "./gateway-credentials.js";

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** The embeddings model of memory.embeddings, its key a placeholder swapped on egress. */
async function createEmbedder(
  config: OpenClawConfig,
  credentials: GatewayCredentials,
  logger: Logger,
): Promise<EmbeddingsClient | undefined> {
  const settings = config.memory.embeddings;
  if (!settings) return undefined;
  const baseUrl = settings.baseUrl ?? (settings.provider === "openai" ? OPENAI_BASE_URL : undefined);
  if (!baseUrl) {
    logger.warn("memory.embeddings has no baseUrl: memory search is keyword-only");
    return undefined;
  }
  const credential = credentials.readCredential({
    provider: "memory-embeddings",
    type: settings.provider,
    path: "memory.embeddings.apiKey",
    credential: settings.apiKey,
    origin: new URL(baseUrl).origin,
  });
  const apiKey = typeof credential === "object" ? credential.placeholder : credential;
  const client = new EmbeddingsClient({
    baseUrl,
    model: settings.model,
    fetch: credentials.broker.fetch,
    batchSize: settings.batchSize,
    ...(apiKey ? { apiKey } : {}),
    ...(settings.dimensions ? { dimensions: settings.dimensions } : {}),
  });
  if (client.dimensions === undefined) {
    // The stores' vector tables need the size before the first write: ask the model once.
    try {
      await client.embed(["openclaw dimension probe"]);
    } catch (error) {
      logger.warn(
        { error: (error as Error).message },
        "memory.embeddings did not answer; memory search is keyword-only until the gateway restarts",
      );
      return undefined;
    }
  }
  return client;
}

/** The gateway's memory: stores, embeddings, Qdrant sync (when configured) and file indexing. */
export async function createGatewayMemory(options: {
  config: OpenClawConfig;
  stateDir: string;
  credentials: GatewayCredentials;
  logger: Logger;
}): Promise<{ service: MemoryService; indexer: WorkspaceIndexer } | undefined> {
  const { config, credentials, logger } = options;
  if (!config.memory.enabled) return undefined;
  const embedder = await createEmbedder(config, credentials, logger);
  const qdrant = config.memory.qdrant;
  let createSync: ConstructorParameters<typeof MemoryService>[0]["createSync"];
  if (qdrant && embedder) {
    const [{ QdrantClient }, { QdrantSync }] = await Promise.all([
      import("@qdrant/js-client-rest"),
      import("../memory/sync/index.js"),
    ]);
    // The Qdrant client keeps its key in the gateway's own thread, beside the secret store.
    const apiKey =
      typeof qdrant.apiKey === "string"
        ? qdrant.apiKey
        : qdrant.apiKey
          ? credentials.store.get(qdrant.apiKey.$secret)
          : undefined;
    const client = new QdrantClient({
      url: qdrant.url,
      checkCompatibility: false,
      ...(apiKey ? { apiKey } : {}),
    });
    createSync = (agentId, store, dimensions) =>
      new QdrantSync({ agentId, outbox: store, client, collection: qdrant.collection, dimensions, logger });
  } else if (qdrant) {
    logger.warn("memory.qdrant needs memory.embeddings (Qdrant stores vectors): sync is off");
  }
  const service = new MemoryService({
    stateDir: options.stateDir,
    logger,
    ...(embedder ? { embedder } : {}),
    ...(createSync ? { createSync } : {}),
    ...(qdrant ? { qdrantMode: qdrant.mode } : {}),
  });
  await service.openExisting();
  const indexer = new WorkspaceIndexer(
    (agentId, path, text) => service.indexFile(agentId, path, text),
    logger,
  );
  return { service, indexer };
}
