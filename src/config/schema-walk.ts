import { z } from "zod";
import type { ConfigPathSegment } from "./config-path.js";
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
