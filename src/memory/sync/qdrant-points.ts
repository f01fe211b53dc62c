import type { SyncRun } from "./coalesce-entries.js";
import { memoryPointId } from "./point-id.js";
import type { QdrantLike } from "./qdrant-collection.js";

/**
 * How a memory is laid out as a Qdrant point: id from the agent and memory id, the embedding as
 * the (unnamed) vector, and a payload that a search can answer from without the local store.
 */

export interface QdrantSearchHit {
  memoryId: string;
  score: number;
  text: string;
  tags: string[];
}

/** Sends one run; resolves with how many points it wrote or deleted, once Qdrant applied them. */
export async function sendRun(
  client: QdrantLike,
  collection: string,
  agentId: string,
  run: SyncRun,
): Promise<number> {
  const result =
    run.op === "upsert"
      ? await client.upsert(collection, {
          wait: true,
          points: run.entries.map(({ memoryId, record, vector }) => ({
            id: memoryPointId(agentId, memoryId),
            vector,
            payload: {
              agentId,
              memoryId,
              text: record.text,
              tags: record.tags,
              sessionKey: record.source.sessionKey,
              path: record.source.path,
              createdAt: record.createdAt,
              updatedAt: record.updatedAt,
            },
          })),
        })
      : await client.delete(collection, {
          wait: true,
          points: run.memoryIds.map((memoryId) => memoryPointId(agentId, memoryId)),
        });
  // "acknowledged" or "wait_timeout" means queued, not applied: not enough to drop our copy.
  if (result.status !== "completed")
    throw new Error(`Qdrant did not confirm the ${run.op} (status ${result.status})`);
  return run.op === "upsert" ? run.entries.length : run.memoryIds.length;
}

/** The agent's nearest memories; with tags, only those carrying every one of them. */
export async function searchPoints(
  client: QdrantLike,
  collection: string,
  agentId: string,
  vector: ArrayLike<number>,
  limit: number,
  tags: readonly string[],
): Promise<QdrantSearchHit[]> {
  const count = Math.floor(limit);
  if (!(count > 0)) return [];
  const must = [
    { key: "agentId", match: { value: agentId } },
    ...tags.map((tag) => ({ key: "tags", match: { value: tag } })),
  ];
  const { points } = await client.query(collection, {
    query: Array.from(vector),
    limit: count,
    filter: { must },
    with_payload: true,
  });
  return points.flatMap((point) => {
    const payload = (point.payload ?? {}) as Record<string, unknown>;
    if (typeof payload.memoryId !== "string") return [];
    const text = typeof payload.text === "string" ? payload.text : "";
    const stored = Array.isArray(payload.tags) ? payload.tags : [];
    return [
      {
        memoryId: payload.memoryId,
        score: point.score,
        text,
        tags: stored.filter((tag): tag is string => typeof tag === "string"),
      },
    ];
  });
}

/** One memory as Qdrant holds it: enough to put it back in a rebuilt local store. */
export interface QdrantMemoryPoint {
  memoryId: string;
  text: string;
  tags: string[];
  sessionKey?: string;
  path?: string;
  createdAt?: string;
  updatedAt?: string;
  vector?: number[];
}

const SCROLL_PAGE = 256;

/** Every point of the agent, page by page (for `openclaw memory repair` in mode "primary"). */
export async function scrollAgentPoints(
  client: QdrantLike,
  collection: string,
  agentId: string,
): Promise<QdrantMemoryPoint[]> {
  const found: QdrantMemoryPoint[] = [];
  let offset: string | number | undefined;
  for (;;) {
    const page = await client.scroll(collection, {
      filter: { must: [{ key: "agentId", match: { value: agentId } }] },
      limit: SCROLL_PAGE,
      with_payload: true,
      with_vector: true,
      ...(offset === undefined ? {} : { offset }),
    });
    for (const point of page.points) {
      const payload = (point.payload ?? {}) as Record<string, unknown>;
      if (typeof payload.memoryId !== "string" || typeof payload.text !== "string") continue;
      const text = (key: string) => (typeof payload[key] === "string" ? (payload[key] as string) : undefined);
      const vector = Array.isArray(point.vector) && point.vector.every((value) => typeof value === "number");
      found.push({
        memoryId: payload.memoryId,
        text: payload.text,
        tags: (Array.isArray(payload.tags) ? payload.tags : []).filter(
          (tag): tag is string => typeof tag === "string",
        ),
        ...optional("sessionKey", text("sessionKey")),
        ...optional("path", text("path")),
        ...optional("createdAt", text("createdAt")),
        ...optional("updatedAt", text("updatedAt")),
        ...(vector ? { vector: point.vector as number[] } : {}),
      });
    }
    const next = page.next_page_offset;
    if (typeof next !== "string" && typeof next !== "number") return found;
    offset = next;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
