import { type ConfigPathSegment, isPlainObject, setOwn } from "./config-path.js";

/**
 * A top-level key such as `"agents.defaults.sandbox"` (as written in OpenClaw's own docs) means
 * the nested path. It is merged into the tree, and a leaf set twice (through a dotted key and the
 * nested form, or through two dotted keys) is a problem to report, never a silent override.
 */

/** Where a dotted key's value lands in the config tree. */
export interface DottedKeyOrigin {
  /** The key as written, e.g. `agents.defaults.sandbox`. */
  sourceKey: string;
  /** Its segments, e.g. `["agents", "defaults", "sandbox"]`. */
  path: string[];
}

export interface DottedKeyProblem {
  /** Config path of the value set twice (or of the malformed key). */
  path: ConfigPathSegment[];
  /** Path in the file as written (starting with the dotted key) of the second definition. */
  sourcePath: ConfigPathSegment[];
  /** Path in the file of the first definition, when the problem is a collision. */
  otherSourcePath?: ConfigPathSegment[];
  message: string;
}

export interface ExpandedDottedKeys {
  value: Record<string, unknown>;
  origins: DottedKeyOrigin[];
  problems: DottedKeyProblem[];
}

/** Only top-level keys are split; nested keys with dots (a provider named `api.example`) are names. */
export function isDottedKey(key: string): boolean {
  return key.includes(".");
}

export function splitDottedKey(key: string): string[] {
  return key.split(".");
}

function cloneData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneData);
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) setOwn(copy, key, cloneData(inner));
  return copy;
}

/** The source path of whatever already defines `path`: the deepest dotted key above it, else the nested form. */
function sourcePathOf(path: ConfigPathSegment[], origins: DottedKeyOrigin[]): ConfigPathSegment[] {
  let best: DottedKeyOrigin | undefined;
  for (const origin of origins) {
    const isPrefix =
      origin.path.length <= path.length && origin.path.every((segment, i) => segment === path[i]);
    if (isPrefix && (!best || origin.path.length > best.path.length)) best = origin;
  }
  return best ? [best.sourceKey, ...path.slice(best.path.length)] : [...path];
}

export function expandDottedKeys(raw: Record<string, unknown>): ExpandedDottedKeys {
  const value: Record<string, unknown> = {};
  const origins: DottedKeyOrigin[] = [];
  const problems: DottedKeyProblem[] = [];
  const dottedKeys: string[] = [];
  for (const [key, inner] of Object.entries(raw)) {
    if (isDottedKey(key)) dottedKeys.push(key);
    else setOwn(value, key, cloneData(inner));
  }

  const collide = (path: ConfigPathSegment[], sourceKey: string, applied: DottedKeyOrigin[]): void => {
    const otherSourcePath = sourcePathOf(path, applied);
    const other =
      typeof otherSourcePath[0] === "string" && isDottedKey(otherSourcePath[0])
        ? `"${otherSourcePath[0]}"`
        : "the nested form";
    problems.push({
      path,
      sourcePath: [sourceKey, ...path.slice(splitDottedKey(sourceKey).length)],
      otherSourcePath,
      message: `set both by the dotted key "${sourceKey}" and by ${other}; keep only one of them`,
    });
  };

  const merge = (
    parent: Record<string, unknown>,
    key: string,
    incoming: unknown,
    path: string[],
    sourceKey: string,
    applied: DottedKeyOrigin[],
  ): void => {
    if (!Object.hasOwn(parent, key)) {
      setOwn(parent, key, cloneData(incoming));
      return;
    }
    const existing = parent[key];
    if (isPlainObject(existing) && isPlainObject(incoming)) {
      for (const [innerKey, innerValue] of Object.entries(incoming)) {
        merge(existing, innerKey, innerValue, [...path, innerKey], sourceKey, applied);
      }
      return;
    }
    collide(path, sourceKey, applied);
  };

  for (const sourceKey of dottedKeys) {
    const segments = splitDottedKey(sourceKey);
    if (segments.some((segment) => segment === "")) {
      problems.push({
        path: [sourceKey],
        sourcePath: [sourceKey],
        message: `dotted key "${sourceKey}" has an empty segment`,
      });
      continue;
    }
    const applied = [...origins];
    let parent = value;
    let blocked = false;
    for (let depth = 0; depth < segments.length - 1; depth += 1) {
      const segment = segments[depth] as string;
      if (!Object.hasOwn(parent, segment)) setOwn(parent, segment, {});
      const next = parent[segment];
      if (!isPlainObject(next)) {
        collide(segments.slice(0, depth + 1), sourceKey, applied);
        blocked = true;
        break;
      }
      parent = next;
    }
    if (blocked) continue;
    merge(parent, segments[segments.length - 1] as string, raw[sourceKey], segments, sourceKey, applied);
    origins.push({ sourceKey, path: segments });
  }
  return { value, origins, problems };
}
