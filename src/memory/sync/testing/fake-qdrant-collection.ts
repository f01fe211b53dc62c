import {
  compareIds,
  type FakeQdrantPoint,
  HttpError,
  keyOf,
  matchesFilter,
  type PointId,
  parsePointId,
  score,
  selectPayload,
} from "./fake-qdrant-points.js";

/** What the fake Qdrant does within one collection: vector checks, writes, scrolls, nearest points. */

export interface FakeQdrantCollection {
  /** As given at creation: `{ size, distance }` or named vectors. */
  vectors: Record<string, unknown>;
  points: Map<string, FakeQdrantPoint>;
  payloadSchema: Record<string, { data_type: string }>;
}

export function vectorSize(collection: FakeQdrantCollection): { size: number; distance: string } {
  const { size, distance } = collection.vectors as { size?: unknown; distance?: unknown };
  if (typeof size !== "number") throw new HttpError(400, "Wrong input: Not existing vector name error: ");
  return { size, distance: String(distance) };
}

function checkVector(collection: FakeQdrantCollection, vector: unknown): number[] {
  const { size } = vectorSize(collection);
  if (
    !Array.isArray(vector) ||
    !vector.every((value) => typeof value === "number" && Number.isFinite(value))
  ) {
    throw new HttpError(400, "Format error in JSON body: expected a vector of numbers");
  }
  if (vector.length !== size) {
    throw new HttpError(
      400,
      `Wrong input: Vector dimension error: expected dim: ${size}, got ${vector.length}`,
    );
  }
  return vector as number[];
}

/** Writes the points of an upsert (`points` or `batch`), validated whole first; returns their ids. */
export function upsertPoints(collection: FakeQdrantCollection, input: Record<string, unknown>): PointId[] {
  let points: Array<{ id?: unknown; vector?: unknown; payload?: unknown }>;
  if (Array.isArray(input.points)) {
    points = input.points;
  } else if (input.batch && typeof input.batch === "object") {
    const batch = input.batch as { ids?: unknown[]; vectors?: unknown[]; payloads?: unknown[] };
    points = (batch.ids ?? []).map((id, index) => ({
      id,
      vector: batch.vectors?.[index],
      payload: batch.payloads?.[index],
    }));
  } else {
    throw new HttpError(400, "Format error in JSON body: expected `points` or `batch`");
  }
  // Validated whole before anything is applied: a refused request changes nothing.
  const parsed = points.map((point) => ({
    id: parsePointId(point.id),
    vector: checkVector(collection, point.vector),
    payload: (point.payload && typeof point.payload === "object"
      ? structuredClone(point.payload)
      : {}) as Record<string, unknown>,
  }));
  for (const point of parsed) collection.points.set(keyOf(point.id), point);
  return parsed.map((point) => point.id);
}

/** Deletes the points of a delete (`points` or `filter`); returns their ids. */
export function deletePoints(collection: FakeQdrantCollection, input: Record<string, unknown>): PointId[] {
  let ids: PointId[];
  if (Array.isArray(input.points)) {
    ids = input.points.map(parsePointId);
  } else if (input.filter !== undefined) {
    ids = [...collection.points.values()]
      .filter((point) => matchesFilter(point, input.filter))
      .map((point) => point.id);
  } else {
    throw new HttpError(400, "Format error in JSON body: expected `points` or `filter`");
  }
  for (const id of ids) collection.points.delete(keyOf(id));
  return ids;
}

export function present(point: FakeQdrantPoint, withPayload: unknown, withVector: unknown) {
  return {
    id: point.id,
    payload: selectPayload(point.payload, withPayload),
    vector: withVector === true ? [...point.vector] : null,
  };
}

/** The points a scroll returns, in id order from its offset. */
export function scrollPoints(collection: FakeQdrantCollection, input: Record<string, unknown>) {
  const offset = input.offset === undefined || input.offset === null ? undefined : parsePointId(input.offset);
  return [...collection.points.values()]
    .filter((point) => matchesFilter(point, input.filter))
    .filter((point) => offset === undefined || compareIds(point.id, offset) >= 0)
    .sort((left, right) => compareIds(left.id, right.id))
    .map((point) => present(point, input.with_payload ?? true, input.with_vector));
}

/** The points a search or query returns: nearest first, by the collection's distance. */
export function nearest(collection: FakeQdrantCollection, vector: unknown, input: Record<string, unknown>) {
  const query = checkVector(collection, vector);
  const { distance } = vectorSize(collection);
  const limit = typeof input.limit === "number" ? input.limit : 10;
  const offset = typeof input.offset === "number" ? input.offset : 0;
  const threshold = typeof input.score_threshold === "number" ? input.score_threshold : undefined;
  // Distances (Euclid, Manhattan) rank smallest first; similarities largest first.
  const ascending = distance === "Euclid" || distance === "Manhattan";
  return [...collection.points.values()]
    .filter((point) => matchesFilter(point, input.filter))
    .map((point) => ({ point, score: score(distance, query, point.vector) }))
    .filter(
      ({ score: value }) => threshold === undefined || (ascending ? value <= threshold : value >= threshold),
    )
    .sort((left, right) => (ascending ? left.score - right.score : right.score - left.score))
    .slice(offset, offset + limit)
    .map(({ point, score: value }) => ({
      ...present(point, input.with_payload ?? false, input.with_vector),
      version: 0,
      score: value,
    }));
}
