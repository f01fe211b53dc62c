import type { QdrantClient } from "@qdrant/js-client-rest";

/**
 * The part of `QdrantClient` the sync uses: tests pass the real client pointed at a fake server,
 * so what is tested is what runs.
 */
export type QdrantLike = Pick<
  QdrantClient,
  | "getCollections"
  | "getCollection"
  | "createCollection"
  | "deleteCollection"
  | "createPayloadIndex"
  | "upsert"
  | "delete"
  | "query"
  | "scroll"
>;

export type CollectionCheck =
  | { kind: "created" }
  | { kind: "exists" }
  /** The collection exists with vectors Qdrant would refuse ours for; `actual` says what it has. */
  | { kind: "mismatch"; actual: string };

const MAX_ERROR_LENGTH = 300;

interface ApiErrorShape {
  status: number;
  statusText?: string;
  data?: unknown;
}

function isApiError(error: unknown): error is ApiErrorShape {
  return typeof error === "object" && error !== null && typeof (error as ApiErrorShape).status === "number";
}

/** Whether Qdrant answered 404: the collection is gone (deleted behind our back). */
export function isNotFound(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/**
 * One line for `status().lastError` and the log. Built from the status and Qdrant's own error
 * text only: never from the request, whose headers carry the API key.
 */
export function describeQdrantError(error: unknown): string {
  let text: string;
  if (isApiError(error)) {
    const data = error.data as { status?: { error?: unknown } } | string | undefined;
    const detail =
      typeof data === "string"
        ? data
        : typeof data?.status?.error === "string"
          ? data.status.error
          : (error.statusText ?? "");
    text = `Qdrant answered ${error.status}${detail ? `: ${detail}` : ""}`;
  } else if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const reason =
      typeof cause?.code === "string"
        ? cause.code
        : typeof cause?.message === "string"
          ? cause.message
          : undefined;
    text =
      error.message === "fetch failed"
        ? `Qdrant is unreachable (${reason ?? "fetch failed"})`
        : error.message;
  } else {
    text = String(error);
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

function describeVectors(vectors: unknown): { size?: number; distance?: string; text: string } {
  const single = vectors as { size?: unknown; distance?: unknown } | undefined;
  if (typeof single?.size === "number") {
    const distance = typeof single.distance === "string" ? single.distance : undefined;
    return { size: single.size, ...(distance ? { distance } : {}), text: `vectors of size ${single.size}` };
  }
  if (vectors && typeof vectors === "object") {
    return { text: `named vectors (${Object.keys(vectors).join(", ") || "none"})` };
  }
  return { text: "no dense vectors" };
}

/**
 * Several agents share one collection and every search filters on `agentId` (and maybe `tags`).
 * Qdrant in strict mode (as Qdrant Cloud may run) refuses filters on fields without an index.
 */
const KEYWORD_FIELDS = ["agentId", "tags"] as const;

async function collectionExists(client: QdrantLike, collection: string): Promise<boolean> {
  const { collections } = await client.getCollections();
  return collections.some((entry) => entry.name === collection);
}

async function verify(
  client: QdrantLike,
  collection: string,
  dimensions: number,
  onDistance: (distance: string) => void,
): Promise<CollectionCheck> {
  const info = await client.getCollection(collection);
  const vectors = describeVectors(info.config?.params?.vectors);
  if (vectors.size !== dimensions) return { kind: "mismatch", actual: vectors.text };
  if (vectors.distance && vectors.distance !== "Cosine") onDistance(vectors.distance);
  const schema = (info.payload_schema ?? {}) as Record<string, { data_type?: string } | undefined>;
  await createIndexes(
    client,
    collection,
    KEYWORD_FIELDS.filter((field) => schema[field]?.data_type !== "keyword"),
  );
  return { kind: "exists" };
}

async function createIndexes(
  client: QdrantLike,
  collection: string,
  fields: readonly string[],
): Promise<void> {
  for (const field of fields) {
    await client.createPayloadIndex(collection, { field_name: field, field_schema: "keyword", wait: true });
  }
}

/**
 * Creates the collection (cosine, `dimensions`) with keyword indexes on `agentId` and `tags`, or
 * checks that the existing one takes vectors of that size. Two agents starting together may both try to
 * create it: the loser of that race checks the winner's collection instead of failing.
 */
export async function ensureCollection(
  client: QdrantLike,
  collection: string,
  dimensions: number,
  onDistance: (distance: string) => void = () => {},
): Promise<CollectionCheck> {
  if (await collectionExists(client, collection)) return verify(client, collection, dimensions, onDistance);
  try {
    await client.createCollection(collection, { vectors: { size: dimensions, distance: "Cosine" } });
  } catch (error) {
    if (!(await collectionExists(client, collection).catch(() => false))) throw error;
    return verify(client, collection, dimensions, onDistance);
  }
  await createIndexes(client, collection, KEYWORD_FIELDS);
  return { kind: "created" };
}
