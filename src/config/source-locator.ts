import type { ConfigPathSegment } from "./config-path.js";
import { isDottedKey, splitDottedKey } from "./dotted-keys.js";
import {
  findMember,
  type LineColumn,
  lineColumnAt,
  parseSourceTree,
  type SourceNode,
} from "./source-tree.js";

/** What part of a config path the file defines, and where. */
export interface SourceMatch {
  /** The deepest node found along the path: the value itself when `exact`. */
  node: SourceNode;
  /** Where that node is defined: its key when it is an object member, else its first character. */
  offset: number;
  /** How many config path segments were matched (a dotted key counts for all of its segments). */
  depth: number;
  exact: boolean;
}

export interface SourceLocation extends LineColumn {
  exact: boolean;
}

function segmentIndex(segment: ConfigPathSegment): number | undefined {
  const index = typeof segment === "number" ? segment : Number(segment);
  return Number.isInteger(index) && index >= 0 && String(index) === String(segment) ? index : undefined;
}

/** Walks a path literally (a dotted key is just a key here). */
function walk(
  node: SourceNode,
  offset: number,
  path: readonly ConfigPathSegment[],
  depthBefore: number,
): SourceMatch {
  let current = node;
  let currentOffset = offset;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as ConfigPathSegment;
    if (current.kind === "object") {
      const member = findMember(current, String(segment));
      if (!member) return { node: current, offset: currentOffset, depth: depthBefore + index, exact: false };
      current = member.value;
      currentOffset = member.keyStart;
    } else if (current.kind === "array") {
      const position = segmentIndex(segment);
      const item = position === undefined ? undefined : current.items[position];
      if (!item) return { node: current, offset: currentOffset, depth: depthBefore + index, exact: false };
      current = item;
      currentOffset = item.start;
    } else return { node: current, offset: currentOffset, depth: depthBefore + index, exact: false };
  }
  return { node: current, offset: currentOffset, depth: depthBefore + path.length, exact: true };
}

/** Follows a path as written in the file, without interpreting dotted keys. */
export function findSourcePath(root: SourceNode, sourcePath: readonly ConfigPathSegment[]): SourceMatch {
  return walk(root, root.start, sourcePath, 0);
}

/**
 * Follows a config path, also looking inside top-level dotted keys that cover it. An exact match
 * wins (the deepest dotted key first, as that is where an edit belongs); otherwise the deepest
 * existing ancestor.
 */
export function findConfigPath(root: SourceNode, path: readonly ConfigPathSegment[]): SourceMatch {
  const candidates: SourceMatch[] = [];
  if (root.kind === "object") {
    for (const member of root.members) {
      if (!isDottedKey(member.key)) continue;
      const segments = splitDottedKey(member.key);
      const covers =
        segments.length <= path.length && segments.every((segment, i) => segment === String(path[i]));
      if (covers && findMember(root, member.key) === member) {
        candidates.push(walk(member.value, member.keyStart, path.slice(segments.length), segments.length));
      }
    }
  }
  candidates.sort((a, b) => b.depth - a.depth);
  const exactDotted = candidates.find((match) => match.exact);
  if (exactDotted) return exactDotted;
  const nested = findSourcePath(root, path);
  if (nested.exact) return nested;
  return candidates.reduce((best, match) => (match.depth > best.depth ? match : best), nested);
}

export interface SourceLocator {
  /**
   * Line and column where the value at a config path is defined, for error messages. A path
   * that is missing (a required key) falls back to its nearest existing ancestor; a path that a
   * dotted key spells out only in part (`agent` in `"agent.defaults.sandbox"`) is that key's line.
   */
  locateConfigPath(path: readonly ConfigPathSegment[]): SourceLocation;
  /** The same for a path as written in the file, where a dotted key is a single segment. */
  locateSourcePath(sourcePath: readonly ConfigPathSegment[]): SourceLocation;
}

/** Parses the text once for any number of look-ups. The text must be valid JSON5. */
export function createSourceLocator(text: string): SourceLocator {
  const root = parseSourceTree(text);
  const at = (match: SourceMatch): SourceLocation => ({
    ...lineColumnAt(text, match.offset),
    exact: match.exact,
  });
  return {
    locateConfigPath(path) {
      const match = findConfigPath(root, path);
      if (!match.exact && root.kind === "object") {
        for (const member of root.members) {
          const segments = isDottedKey(member.key) ? splitDottedKey(member.key) : [];
          if (segments.length > path.length && path.every((segment, i) => String(segment) === segments[i])) {
            return { ...lineColumnAt(text, member.keyStart), exact: true };
          }
        }
      }
      return at(match);
    },
    locateSourcePath(sourcePath) {
      return at(findSourcePath(root, sourcePath));
    },
  };
}

/** One-shot form of {@link createSourceLocator}: where a config path is defined in `text`. */
export function locateInSource(text: string, path: readonly ConfigPathSegment[]): SourceLocation {
  return createSourceLocator(text).locateConfigPath(path);
}
