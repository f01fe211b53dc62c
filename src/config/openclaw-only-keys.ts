import { z } from "zod";
import { type ConfigPathSegment, isPlainObject } from "./config-path.js";
import { isOpenClawOnly } from "./schema/openclaw-only.js";
import { unwrap } from "./suggest.js";

type Schema = z.core.$ZodType;

export interface StrippedConfig {
  /** The config without the keys this gateway ignores: what the schema validates. */
  value: unknown;
  /** Where each ignored key was, in config order. */
  ignored: ConfigPathSegment[][];
}

/** The object schemas a value may be validated against: a union's object options, or the object. */
function objectSchemasOf(schema: Schema): z.ZodObject[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return [inner];
  if (inner instanceof z.ZodUnion) return inner.def.options.flatMap((option) => objectSchemasOf(option));
  return [];
}

function fieldSchemaOf(objects: readonly z.ZodObject[], key: string): Schema[] {
  const fields: Schema[] = [];
  for (const object of objects) {
    const field = object.shape[key];
    if (field) fields.push(field);
    else if (object.def.catchall && !(unwrap(object.def.catchall) instanceof z.ZodNever))
      fields.push(object.def.catchall);
  }
  return fields;
}

function strip(
  schema: Schema,
  value: unknown,
  path: ConfigPathSegment[],
  ignored: ConfigPathSegment[][],
): unknown {
  const inner = unwrap(schema);
  if (Array.isArray(value)) {
    if (!(inner instanceof z.ZodArray)) return value;
    return value.map((item, index) => strip(inner.def.element, item, [...path, index], ignored));
  }
  if (!isPlainObject(value)) return value;
  if (inner instanceof z.ZodRecord) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        strip(inner.def.valueType, item, [...path, key], ignored),
      ]),
    );
  }
  const objects = objectSchemasOf(inner);
  if (objects.length === 0) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const fields = fieldSchemaOf(objects, key);
    // A key only some union options declare as ignored is left to validation to judge.
    if (fields.length > 0 && fields.every((field) => isOpenClawOnly(field))) {
      ignored.push([...path, key]);
      continue;
    }
    // Where several options accept the key differently, the first decides how deep to look.
    kept[key] = fields[0] ? strip(fields[0], item, [...path, key], ignored) : item;
  }
  return kept;
}

/** Removes the keys OpenClaw accepts but this gateway does not implement, noting where each was. */
export function stripOpenClawOnlyKeys(schema: Schema, value: unknown): StrippedConfig {
  const ignored: ConfigPathSegment[][] = [];
  return { value: strip(schema, value, [], ignored), ignored };
}

export const IGNORED_KEY_MESSAGE = "OpenClaw setting not supported here; ignored";
