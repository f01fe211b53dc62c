import { z } from "zod";
import { type ConfigPathSegment, isPlainObject } from "./config-path.js";
import { unwrap } from "./suggest.js";

type Schema = z.core.$ZodType;

/** The object schemas a value may be validated against: a union's object options, or the object. */
function objectSchemasOf(schema: Schema): z.ZodObject[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return [inner];
  if (inner instanceof z.ZodUnion) return inner.def.options.flatMap((option) => objectSchemasOf(option));
  return [];
}

/**
 * The schemas the value under `segment` of a value validated by `schema` may be checked against,
 * for walks of the config that must know what a value is for before zod sees it (keys to ignore,
 * credentials to turn into secret references). Empty when the schema says nothing about it.
 */
export function childSchemas(schema: Schema, segment: ConfigPathSegment): Schema[] {
  const inner = unwrap(schema);
  if (typeof segment === "number") return inner instanceof z.ZodArray ? [inner.def.element] : [];
  if (inner instanceof z.ZodRecord) return [inner.def.valueType];
  const fields: Schema[] = [];
  for (const object of objectSchemasOf(inner)) {
    const field = object.shape[segment];
    if (field) fields.push(field);
    else if (object.def.catchall && !(unwrap(object.def.catchall) instanceof z.ZodNever))
      fields.push(object.def.catchall);
  }
  return fields;
}

/** What a `mapAlongSchema` visitor returns to have the walk go on into the value's children. */
export const DESCEND: unique symbol = Symbol("descend");

/**
 * Rebuilds `value` along `schema`: `visit` sees each node with the schemas it may be checked
 * against and its path, and returns its replacement, or DESCEND to have arrays and plain objects
 * rebuilt from their children (anything else is kept as it is).
 */
export function mapAlongSchema(
  schema: Schema,
  value: unknown,
  visit: (schemas: readonly Schema[], item: unknown, path: ConfigPathSegment[]) => unknown,
): unknown {
  const walk = (schemas: readonly Schema[], item: unknown, path: ConfigPathSegment[]): unknown => {
    const visited = visit(schemas, item, path);
    if (visited !== DESCEND) return visited;
    const child = (segment: ConfigPathSegment, inner: unknown) =>
      walk(
        schemas.flatMap((candidate) => childSchemas(candidate, segment)),
        inner,
        [...path, segment],
      );
    if (Array.isArray(item)) return item.map((inner, index) => child(index, inner));
    if (!isPlainObject(item)) return item;
    return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, child(key, inner)]));
  };
  return walk([schema], value, []);
}
