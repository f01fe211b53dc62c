import { z } from "zod";
import { type ConfigPathSegment, isPlainObject, valueAtPath } from "./config-path.js";

export { editDistance, suggestNearest } from "./nearest-name.js";

type Schema = z.core.$ZodType;

/** Strips the wrappers that do not change which keys an object accepts. */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodCatch ||
      current instanceof z.ZodNonOptional
    ) {
      current = current.def.innerType;
    } else if (current instanceof z.ZodPipe) current = current.def.in;
    else if (current instanceof z.ZodLazy) current = current.def.getter();
    else return current;
  }
}

/** For a union, the object options whose literal fields (a discriminator) match the value. */
function matchingObjectOptions(schema: z.ZodUnion, value: unknown): z.ZodObject[] {
  const objects = schema.def.options
    .map(unwrap)
    .filter((option): option is z.ZodObject => option instanceof z.ZodObject);
  const matching = objects.filter((option) =>
    Object.entries(option.shape).every(([key, field]) => {
      const inner = unwrap(field);
      if (!(inner instanceof z.ZodLiteral)) return true;
      return isPlainObject(value) && inner.def.values.includes(value[key] as never);
    }),
  );
  return matching.length > 0 ? matching : objects;
}

/** The schemas a value at `path` may be checked against (several for an undecided union). */
function schemasAt(root: Schema, path: readonly ConfigPathSegment[], value: unknown): Schema[] {
  let current: Schema[] = [root];
  let currentValue = value;
  for (const segment of path) {
    const next: Schema[] = [];
    for (const candidate of current) {
      const schema = unwrap(candidate);
      if (schema instanceof z.ZodObject) {
        const field = schema.shape[String(segment)];
        const catchall = schema.def.catchall;
        if (field) next.push(field);
        else if (catchall && !(unwrap(catchall) instanceof z.ZodNever)) next.push(catchall);
      } else if (schema instanceof z.ZodRecord) next.push(schema.def.valueType);
      else if (schema instanceof z.ZodArray) next.push(schema.def.element);
      else if (schema instanceof z.ZodUnion) {
        for (const option of matchingObjectOptions(schema, currentValue))
          next.push(...schemasAt(option, [segment], undefined));
      }
    }
    current = next;
    currentValue =
      isPlainObject(currentValue) || Array.isArray(currentValue)
        ? (currentValue as Record<string, unknown>)[String(segment)]
        : undefined;
  }
  return current.map(unwrap);
}

/**
 * The keys a strict object at `path` accepts, found by walking the schema. `value` (the config
 * tree) picks the branch of a discriminated union, e.g. an `env` secret's keys are source and key.
 */
export function schemaKeysAt(root: Schema, path: readonly ConfigPathSegment[], value?: unknown): string[] {
  const keys = new Set<string>();
  const atPath = valueAtPath(value, path).value;
  for (const schema of schemasAt(root, path, value)) {
    const objects = schema instanceof z.ZodUnion ? matchingObjectOptions(schema, atPath) : [schema];
    for (const object of objects)
      if (object instanceof z.ZodObject) for (const key of Object.keys(object.shape)) keys.add(key);
  }
  return [...keys];
}
