import { OpenClawError } from "../errors.js";

/** A location in the config tree: object keys and array indexes. */
export type ConfigPathSegment = string | number;
export type ConfigPath = readonly ConfigPathSegment[];

const PLAIN_SEGMENT = /^[A-Za-z0-9_$-]+$/;

/**
 * `agents.main.tools[0]`; keys that are not plain words (a provider named `api.example`) are
 * bracketed and quoted so that the printed path can be pasted back into `openclaw config get`.
 */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let formatted = "";
  for (const segment of path) {
    if (typeof segment === "number") formatted += `[${segment}]`;
    else if (typeof segment === "string" && PLAIN_SEGMENT.test(segment)) {
      formatted += formatted ? `.${segment}` : segment;
    } else formatted += `[${JSON.stringify(String(segment))}]`;
  }
  return formatted;
}

function invalidPath(path: string, reason: string): OpenClawError {
  return new OpenClawError("OC_ERR_CONFIG_PATH", `invalid config path "${path}": ${reason}`, {
    hint: 'use dotted keys, e.g. gateway.port, agents.main.tools[0] or models.providers["api.example"].baseUrl',
  });
}

/** Parses `a.b[0]["c.d"]`; `a.b.0` also works (the index stays a string until it meets an array). */
export function parseConfigPath(path: string): ConfigPathSegment[] {
  const segments: ConfigPathSegment[] = [];
  let index = 0;
  while (index < path.length) {
    const char = path[index];
    if (char === "[") {
      const close = path.indexOf("]", index);
      if (close < 0) throw invalidPath(path, "unclosed '['");
      const inner = path.slice(index + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) segments.push(JSON.parse(inner) as string);
      else throw invalidPath(path, `"[${inner}]" must be an index or a double-quoted key`);
      index = close + 1;
      if (path[index] === ".") index += 1;
      continue;
    }
    let end = index;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end += 1;
    const key = path.slice(index, end);
    if (key === "") throw invalidPath(path, "empty key");
    segments.push(key);
    index = end;
    if (path[index] === ".") {
      index += 1;
      if (index === path.length) throw invalidPath(path, "trailing '.'");
    }
  }
  if (segments.length === 0) throw invalidPath(path, "empty path");
  return segments;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Assigns an own property even for the key `__proto__`, which plain assignment would not. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Follows a path through plain data; `found` is false when a step is missing. */
export function valueAtPath(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const position = typeof segment === "number" ? segment : Number(segment);
      if (!Number.isInteger(position) || position < 0 || position >= current.length)
        return { found: false, value: undefined };
      current = current[position];
    } else if (
      isPlainObject(current) &&
      typeof segment !== "symbol" &&
      Object.hasOwn(current, String(segment))
    ) {
      current = current[String(segment)];
    } else return { found: false, value: undefined };
  }
  return { found: true, value: current };
}
