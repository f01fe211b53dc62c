import type { z } from "zod";
import { type ConfigPathSegment, isPlainObject } from "./config-path.js";
import { isOpenClawOnly } from "./schema/openclaw-only.js";
import { childSchemas } from "./schema-walk.js";

type Schema = z.core.$ZodType;

export interface StrippedConfig {
  /** The config without the keys this gateway ignores: what the schema validates. */
  value: unknown;
  /** Where each ignored key was, in config order. */
  ignored: ConfigPathSegment[][];
}

function strip(
  schema: Schema,
  value: unknown,
  path: ConfigPathSegment[],
  ignored: ConfigPathSegment[][],
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      const [element] = childSchemas(schema, index);
      return element ? strip(element, item, [...path, index], ignored) : item;
    });
  }
  if (!isPlainObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const fields = childSchemas(schema, key);
    // A key only some union options declare as ignored is left to validation to judge.
    if (fields.length > 0 && fields.every((field) => isOpenClawOnly(field, item))) {
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
