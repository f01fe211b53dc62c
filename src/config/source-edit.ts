import { OpenClawError } from "../errors.js";
import { type ConfigPathSegment, formatConfigPath, isPlainObject } from "./config-path.js";
import { findConfigPath } from "./source-locator.js";
import { parseSourceTree, type SourceNode, skipTrivia } from "./source-tree.js";

/**
 * Edits one value in the text of a JSON5 document and leaves every other byte alone, so that
 * comments and formatting survive `openclaw config set`.
 */

interface TextStyle {
  indentUnit: string;
  quoteKeys: boolean;
}

const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== "\n" && text[start - 1] !== "\r") start -= 1;
  return start;
}

function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))?.[0] ?? "";
}

function detectStyle(text: string, root: SourceNode): TextStyle {
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((match) => match[1] as string);
  // A multi-line file without any indentation (as pasted from some docs) stays unindented.
  const unindented = indents.length === 0 && /[\n\r]/.test(text.trim());
  const indentUnit =
    indents.length > 0 ? indents.reduce((a, b) => (b.length < a.length ? b : a)) : unindented ? "" : "  ";
  const firstKey = root.kind === "object" ? root.members[0] : undefined;
  const quoteKeys = firstKey ? text[firstKey.keyStart] === '"' || text[firstKey.keyStart] === "'" : true;
  return { indentUnit, quoteKeys };
}

function formatKey(key: string, style: TextStyle): string {
  return !style.quoteKeys && BARE_KEY.test(key) ? key : JSON.stringify(key);
}

function serialize(value: unknown, indent: string, style: TextStyle): string {
  const inner = indent + style.indentUnit;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + serialize(item, inner, style)).join(",\n")}\n${indent}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(
      ([key, item]) => `${inner}${formatKey(key, style)}: ${serialize(item, inner, style)}`,
    );
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? "null";
}

/** One-line form, for values going into a container written on one line. */
function serializeInline(value: unknown, style: TextStyle): string {
  if (Array.isArray(value)) return `[${value.map((item) => serializeInline(item, style)).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${formatKey(key, style)}: ${serializeInline(item, style)}`,
    );
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return serialize(value, "", style);
}

/** Renders at an indentation, or on one line when `indent` is undefined. */
function render(value: unknown, indent: string | undefined, style: TextStyle): string {
  return indent === undefined ? serializeInline(value, style) : serialize(value, indent, style);
}

/** The value to insert for the segments that do not exist yet: objects, or an array for index 0. */
function nest(
  segments: readonly ConfigPathSegment[],
  value: unknown,
  path: readonly ConfigPathSegment[],
): unknown {
  return segments.reduceRight<unknown>((inner, segment) => {
    if (typeof segment === "string") return { [segment]: inner };
    if (segment === 0) return [inner];
    throw new OpenClawError(
      "OC_ERR_CONFIG_PATH",
      `cannot set ${formatConfigPath(path)}: index ${segment} of a new array`,
      {
        hint: 'arrays are created from index 0; or set the whole array as JSON5, e.g. \'["a", "b"]\'',
      },
    );
  }, value);
}

function replaceRange(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function isOneLine(text: string, start: number, end: number): boolean {
  return !/[\n\r]/.test(text.slice(start, end));
}

/**
 * Appends an entry (a `key: value` member or an array item) after the container's last one,
 * in the container's style: on one line if it is written on one line, else on a line of its own.
 */
function appendEntry(
  text: string,
  style: TextStyle,
  container: SourceNode & { kind: "object" | "array" },
  last: { start: number; end: number } | undefined,
  entry: (indent: string | undefined) => string,
): string {
  const close = container.end - 1;
  const oneLine = isOneLine(text, container.start, container.end);
  if (!last) {
    const outer = indentAt(text, container.start);
    // `{}` alone on its line (a new file) grows into a block; `logging: {}` becomes `logging: { level: "x" }`.
    const alone = text.slice(lineStart(text, container.start), container.start).trim() === "";
    if (oneLine && !alone) return replaceRange(text, container.start + 1, close, ` ${entry(undefined)} `);
    // Keep whatever comments are inside; the entry goes on its own line before the closing bracket.
    let before = close;
    while (before > container.start + 1 && /\s/.test(text[before - 1] as string)) before -= 1;
    const inner = outer + style.indentUnit;
    return replaceRange(text, before, close, `\n${inner}${entry(inner)}\n${outer}`);
  }
  const afterValue = skipTrivia(text, last.end);
  const hasComma = text[afterValue] === ",";
  const anchor = hasComma ? afterValue + 1 : last.end;
  if (oneLine)
    return replaceRange(text, anchor, anchor, hasComma ? ` ${entry(undefined)},` : `, ${entry(undefined)}`);
  const startsLine = text.slice(lineStart(text, last.start), last.start).trim() === "";
  const indent = startsLine ? indentAt(text, last.start) : indentAt(text, container.start) + style.indentUnit;
  // A comment after the last entry stays with it: the new entry goes after the end of that line.
  let lineEnd = anchor;
  while (lineEnd < text.length && text[lineEnd] !== "\n" && text[lineEnd] !== "\r") lineEnd += 1;
  const onlyComment = /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(anchor, lineEnd));
  const insertAt = onlyComment && lineEnd < close ? lineEnd : anchor;
  const withEntry = replaceRange(
    text,
    insertAt,
    insertAt,
    `\n${indent}${entry(indent)}${hasComma ? "," : ""}`,
  );
  return hasComma ? withEntry : replaceRange(withEntry, last.end, last.end, ",");
}

/**
 * Returns `text` with the value at `path` replaced, or inserted into the nearest existing parent
 * (creating the objects in between). A path under a top-level dotted key is edited there.
 */
export function spliceConfigValue(text: string, path: readonly ConfigPathSegment[], value: unknown): string {
  const root = parseSourceTree(text);
  const style = detectStyle(text, root);
  const match = findConfigPath(root, path);
  const { node } = match;
  if (match.exact) {
    const indent = isOneLine(text, node.start, node.end) ? undefined : indentAt(text, node.start);
    return replaceRange(text, node.start, node.end, render(value, indent, style));
  }
  const [first, ...rest] = path.slice(match.depth);
  const inserted = nest(rest, value, path);
  if (node.kind === "object") {
    const last = node.members.at(-1);
    const span = last ? { start: last.keyStart, end: last.value.end } : undefined;
    const key = formatKey(String(first), style);
    return appendEntry(text, style, node, span, (indent) => `${key}: ${render(inserted, indent, style)}`);
  }
  if (node.kind === "array" && Number(first) === node.items.length) {
    return appendEntry(text, style, node, node.items.at(-1), (indent) => render(inserted, indent, style));
  }
  const parent = formatConfigPath(path.slice(0, match.depth)) || "the top level";
  const reason =
    node.kind === "array" ? `${parent} has ${node.items.length} entries` : `${parent} is not an object`;
  throw new OpenClawError("OC_ERR_CONFIG_PATH", `cannot set ${formatConfigPath(path)}: ${reason}`, {
    hint: `set ${parent} itself, or choose a path inside an object`,
  });
}
