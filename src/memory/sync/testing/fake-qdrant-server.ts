import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  deletePoints,
  type FakeQdrantCollection,
  nearest,
  present,
  scrollPoints,
  upsertPoints,
} from "./fake-qdrant-collection.js";
import {
  compareIds,
  type FakeQdrantPoint,
  HttpError,
  keyOf,
  matchesFilter,
  type PointId,
  parsePointId,
} from "./fake-qdrant-points.js";

export type { FakeQdrantCollection } from "./fake-qdrant-collection.js";
export type { FakeQdrantPoint, PointId } from "./fake-qdrant-points.js";

/**
 * A fake of the Qdrant REST API, enough for `@qdrant/js-client-rest` 1.x to create and inspect
 * collections, write, delete, scroll and query points. Replies use Qdrant's envelope
 * (`{ result, status: "ok", time }`, errors as `{ status: { error }, time }`). `operations` logs
 * only writes that were applied, so tests can count how often each point was really written.
 */

export interface FakeQdrantOperation {
  kind: "upsert" | "delete";
  collection: string;
  pointIds: PointId[];
}

export interface FakeQdrantRequest {
  method: string;
  path: string;
  status: number | "dropped" | "refused";
}

export interface FakeQdrantServerOptions {
  /** When set, every request must carry it (`api-key` header or `Authorization: Bearer`). */
  apiKey?: string;
  /** What `GET /` reports. Defaults to a version the client accepts without a warning. */
  version?: string;
}

/** Answer 503 to everything, or drop every connection as soon as it opens. */
export type FakeQdrantDownMode = "unavailable" | "refuse";

const DISTANCES = new Set(["Cosine", "Euclid", "Dot", "Manhattan"]);
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class FakeQdrantServer {
  /** Writes that were applied, in order: one entry per request, with its point ids. */
  readonly operations: FakeQdrantOperation[] = [];
  /** Every request that reached the server, with what it got. */
  readonly requests: FakeQdrantRequest[] = [];
  private readonly collections = new Map<string, FakeQdrantCollection>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private down: FakeQdrantDownMode | undefined;
  private responsesToDrop = 0;
  private latencyMs = 0;

  constructor(private readonly options: FakeQdrantServerOptions = {}) {}

  async start(): Promise<{ url: string }> {
    const server = createServer((request, response) => {
      this.receive(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.sendError(response, 500, String(error), Date.now());
        else response.destroy();
      });
    });
    server.on("connection", (socket) => {
      if (this.down === "refuse") {
        this.requests.push({ method: "?", path: "?", status: "refused" });
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}` };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** While down, nothing is applied: every request gets a 503, or (`refuse`) its connection is dropped. */
  setDown(down: boolean, mode: FakeQdrantDownMode = "unavailable"): void {
    this.down = down ? mode : undefined;
    if (down && mode === "refuse") {
      for (const socket of this.sockets) socket.destroy();
    }
  }

  /** Applies the next `count` writes, then drops their connections unanswered: an acknowledgement lost on the way. */
  dropResponses(count: number): void {
    this.responsesToDrop = count;
  }

  /** Holds every answer this long: a slow or hung Qdrant. */
  delayResponses(ms: number): void {
    this.latencyMs = ms;
  }

  /** Creates a collection directly, e.g. one with another vector size. */
  createCollection(name: string, vectors: Record<string, unknown>): void {
    this.collections.set(name, { vectors, points: new Map(), payloadSchema: {} });
  }

  collection(name: string): FakeQdrantCollection | undefined {
    return this.collections.get(name);
  }

  /** The points of a collection, ordered by id. */
  points(name: string): FakeQdrantPoint[] {
    return [...(this.collections.get(name)?.points.values() ?? [])].sort((left, right) =>
      compareIds(left.id, right.id),
    );
  }

  /** Applied writes, one entry per point, in order. */
  pointOperations(): Array<{ kind: FakeQdrantOperation["kind"]; collection: string; pointId: PointId }> {
    return this.operations.flatMap((operation) =>
      operation.pointIds.map((pointId) => ({
        kind: operation.kind,
        collection: operation.collection,
        pointId,
      })),
    );
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const record: FakeQdrantRequest = { method, path: url.pathname, status: 0 };
    this.requests.push(record);
    const fail = (status: number, message: string) => {
      record.status = status;
      this.sendError(response, status, message, startedAt);
    };
    try {
      const body = await this.readBody(request);
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      if (this.down) return fail(503, "Service Unavailable");
      if (this.options.apiKey !== undefined) {
        const authorization = request.headers.authorization;
        const bearer = authorization?.startsWith("Bearer ")
          ? authorization.slice("Bearer ".length)
          : undefined;
        if (request.headers["api-key"] !== this.options.apiKey && bearer !== this.options.apiKey) {
          return fail(401, "Must provide an API key or an Authorization bearer token");
        }
      }
      if (url.pathname === "/" && method === "GET") {
        record.status = 200;
        // The only reply without the envelope, as in Qdrant.
        return this.send(response, 200, {
          title: "qdrant - vector search engine",
          version: this.options.version ?? "1.18.0",
          commit: "0000000000000000000000000000000000000000",
        });
      }
      const { result, write } = this.route(method, url.pathname, body);
      if (write && this.responsesToDrop > 0) {
        this.responsesToDrop -= 1;
        record.status = "dropped";
        response.socket?.destroy();
        return;
      }
      record.status = 200;
      this.send(response, 200, { result, status: "ok", time: (Date.now() - startedAt) / 1000 });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      fail(error.status, error.message);
    }
  }

  private route(method: string, path: string, body: unknown): { result: unknown; write?: boolean } {
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [root, name, sub, action] = parts;
    if (root !== "collections") throw new HttpError(404, `Not found: ${path}`);
    if (name === undefined) {
      if (method !== "GET") throw new HttpError(405, "Method Not Allowed");
      return {
        result: { collections: [...this.collections.keys()].map((collection) => ({ name: collection })) },
      };
    }
    if (sub === undefined) return { result: this.routeCollection(method, name, body) };
    if (sub === "exists" && method === "GET") return { result: { exists: this.collections.has(name) } };
    const collection = this.collections.get(name);
    if (!collection) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    const input = (body ?? {}) as Record<string, unknown>;
    if (sub === "index" && method === "PUT" && action === undefined) {
      if (typeof input.field_name !== "string")
        throw new HttpError(400, "Format error in JSON body: missing field `field_name`");
      const schema = input.field_schema;
      const type = typeof schema === "string" ? schema : (schema as { type?: string } | undefined)?.type;
      collection.payloadSchema[input.field_name] = { data_type: type ?? "keyword" };
      return { result: { operation_id: this.operations.length, status: "completed" } };
    }
    if (sub !== "points") throw new HttpError(404, `Not found: ${path}`);
    if (action === undefined && method === "PUT")
      return { result: this.upsert(name, collection, input), write: true };
    if (action === undefined && method === "POST") {
      const ids = Array.isArray(input.ids) ? input.ids.map(parsePointId) : [];
      return {
        result: ids.flatMap((id) => {
          const point = collection.points.get(keyOf(id));
          return point ? [present(point, input.with_payload ?? true, input.with_vector)] : [];
        }),
      };
    }
    if (action === "delete" && method === "POST")
      return { result: this.delete(name, collection, input), write: true };
    if (action === "search" && method === "POST") {
      return { result: nearest(collection, input.vector, input) };
    }
    if (action === "query" && method === "POST") {
      const query = input.query as unknown;
      if (query === undefined || query === null) {
        const limit = typeof input.limit === "number" ? input.limit : 10;
        return {
          result: {
            points: scrollPoints(collection, input)
              .slice(0, limit)
              .map((point) => ({ ...point, score: 0 })),
          },
        };
      }
      const vector = Array.isArray(query) ? query : (query as { nearest?: unknown }).nearest;
      return { result: { points: nearest(collection, vector, input) } };
    }
    if (action === "count" && method === "POST") {
      return {
        result: {
          count: [...collection.points.values()].filter((point) => matchesFilter(point, input.filter)).length,
        },
      };
    }
    if (action === "scroll" && method === "POST") {
      const limit = typeof input.limit === "number" ? input.limit : 10;
      const matching = scrollPoints(collection, input);
      return {
        result: {
          points: matching.slice(0, limit),
          next_page_offset: (matching[limit] as { id?: PointId } | undefined)?.id ?? null,
        },
      };
    }
    if (action !== undefined && method === "GET" && parts.length === 4) {
      const id = parsePointId(/^\d+$/.test(action) ? Number(action) : action);
      const point = collection.points.get(keyOf(id));
      if (!point) throw new HttpError(404, `Not found: Point with id ${action} does not exists!`);
      return { result: present(point, true, true) };
    }
    throw new HttpError(404, `Not found: ${method} ${path}`);
  }

  private routeCollection(method: string, name: string, body: unknown): unknown {
    const existing = this.collections.get(name);
    if (method === "GET") {
      if (!existing) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
      const count = existing.points.size;
      return {
        status: "green",
        optimizer_status: "ok",
        indexed_vectors_count: 0,
        points_count: count,
        segments_count: 1,
        config: {
          params: {
            vectors: existing.vectors,
            shard_number: 1,
            replication_factor: 1,
            write_consistency_factor: 1,
            on_disk_payload: true,
          },
          hnsw_config: {
            m: 16,
            ef_construct: 100,
            full_scan_threshold: 10000,
            max_indexing_threads: 0,
            on_disk: false,
          },
          optimizer_config: {
            deleted_threshold: 0.2,
            vacuum_min_vector_number: 1000,
            default_segment_number: 0,
            flush_interval_sec: 5,
          },
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
          quantization_config: null,
        },
        payload_schema: Object.fromEntries(
          Object.entries(existing.payloadSchema).map(([field, schema]) => [
            field,
            { ...schema, points: count },
          ]),
        ),
      };
    }
    if (method === "DELETE") {
      this.collections.delete(name);
      return existing !== undefined;
    }
    if (method === "PUT") {
      if (existing) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = (body as { vectors?: unknown } | undefined)?.vectors as
        | Record<string, unknown>
        | undefined;
      if (!vectors || typeof vectors !== "object")
        throw new HttpError(400, "Format error in JSON body: missing field `vectors`");
      const single = [vectors, ...Object.values(vectors)].find(
        (params) => typeof (params as { size?: unknown })?.size === "number",
      );
      const { size, distance } = (single ?? {}) as { size?: number; distance?: string };
      if (!size || size < 1 || !Number.isInteger(size) || !DISTANCES.has(distance ?? "")) {
        throw new HttpError(
          400,
          "Wrong input: vectors need an integer size >= 1 and a distance (Cosine, Euclid, Dot, Manhattan)",
        );
      }
      this.createCollection(name, vectors);
      return true;
    }
    throw new HttpError(405, "Method Not Allowed");
  }

  private upsert(name: string, collection: FakeQdrantCollection, input: Record<string, unknown>): unknown {
    const pointIds = upsertPoints(collection, input);
    this.operations.push({ kind: "upsert", collection: name, pointIds });
    return { operation_id: this.operations.length, status: "completed" };
  }

  private delete(name: string, collection: FakeQdrantCollection, input: Record<string, unknown>): unknown {
    const pointIds = deletePoints(collection, input);
    this.operations.push({ kind: "delete", collection: name, pointIds });
    return { operation_id: this.operations.length, status: "completed" };
  }

  private async readBody(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, "Payload Too Large");
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (error) {
      throw new HttpError(400, `Format error in JSON body: ${(error as Error).message}`);
    }
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    response.end(text);
  }

  private sendError(response: ServerResponse, status: number, message: string, startedAt: number): void {
    this.send(response, status, { status: { error: message }, time: (Date.now() - startedAt) / 1000 });
  }
}
