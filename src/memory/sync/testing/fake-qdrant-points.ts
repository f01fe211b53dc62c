/**
 * What the fake Qdrant does with points: id parsing and order, the subset of filters the sync
 * and its tests use (`must`, `should`, `must_not`, `match.value|any|except`, `has_id`), and scores.
 */

export type PointId = string | number;

export interface FakeQdrantPoint {
  id: PointId;
  vector: number[];
  payload: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parsePointId(value: unknown): PointId {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && UUID.test(value)) return value.toLowerCase();
  throw new HttpError(
    400,
    `Format error in JSON body: value ${JSON.stringify(value)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

export const keyOf = (id: PointId) => (typeof id === "number" ? `n:${id}` : `u:${id}`);

export function compareIds(left: PointId, right: PointId): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (typeof left === "number") return -1;
  if (typeof right === "number") return 1;
  return left < right ? -1 : left > right ? 1 : 0;
}

function valuesAt(payload: Record<string, unknown>, key: string): unknown[] {
  let current: unknown[] = [payload];
  for (const part of key.split(".")) {
    current = current.flatMap((value) => {
      if (typeof value !== "object" || value === null) return [];
      const next = (value as Record<string, unknown>)[part];
      return next === undefined ? [] : [next];
    });
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

type Condition = Record<string, unknown>;

function matchesCondition(point: FakeQdrantPoint, condition: Condition): boolean {
  if ("must" in condition || "should" in condition || "must_not" in condition)
    return matchesFilter(point, condition);
  if (Array.isArray(condition.has_id)) {
    return condition.has_id.some((id) => keyOf(parsePointId(id)) === keyOf(point.id));
  }
  if (typeof condition.key === "string" && typeof condition.match === "object" && condition.match !== null) {
    const values = valuesAt(point.payload, condition.key);
    const match = condition.match as { value?: unknown; any?: unknown[]; except?: unknown[] };
    if ("value" in match) return values.some((value) => value === match.value);
    if (Array.isArray(match.any)) return values.some((value) => match.any?.includes(value));
    if (Array.isArray(match.except))
      return values.length === 0 || values.some((value) => !match.except?.includes(value));
  }
  throw new HttpError(400, `Format error in JSON body: unsupported condition ${JSON.stringify(condition)}`);
}

function asConditions(value: unknown): Condition[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Condition[];
}

export function matchesFilter(point: FakeQdrantPoint, filter: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  const { must, should, must_not: mustNot } = filter as Record<string, unknown>;
  if (!asConditions(must).every((condition) => matchesCondition(point, condition))) return false;
  const anyOf = asConditions(should);
  if (anyOf.length > 0 && !anyOf.some((condition) => matchesCondition(point, condition))) return false;
  return !asConditions(mustNot).some((condition) => matchesCondition(point, condition));
}

export function score(distance: string, left: number[], right: number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  let squared = 0;
  let manhattan = 0;
  for (let index = 0; index < left.length; index++) {
    const a = left[index] as number;
    const b = right[index] as number;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
    squared += (a - b) ** 2;
    manhattan += Math.abs(a - b);
  }
  if (distance === "Dot") return dot;
  if (distance === "Euclid") return Math.sqrt(squared);
  if (distance === "Manhattan") return manhattan;
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

export function selectPayload(
  payload: Record<string, unknown>,
  selector: unknown,
): Record<string, unknown> | null {
  if (selector === false || selector === undefined || selector === null) return null;
  if (Array.isArray(selector))
    return Object.fromEntries(Object.entries(payload).filter(([key]) => selector.includes(key)));
  return structuredClone(payload);
}
