import { ToolInputError } from "../tool.js";
import type { Hunk, HunkLine, PatchOperation } from "./patch-types.js";

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const END_OF_FILE = "*** End of File";

/**
 * Parses OpenClaw's patch format (`*** Begin Patch` … `*** End Patch`). Strict on purpose: a
 * line the format does not allow is an error naming its line number, never silently skipped,
 * because a half-understood patch would be half applied.
 */
export function parsePatch(input: string): PatchOperation[] {
  const lines = input.replace(/\r\n/g, "\n").split("\n");
  while (lines.length > 0 && lines.at(-1)?.trim() === "") lines.pop();
  while (lines.length > 0 && lines[0]?.trim() === "") lines.shift();
  if (lines[0]?.trim() !== BEGIN) fail(1, `a patch starts with "${BEGIN}"`);
  if (lines.length < 2 || lines.at(-1)?.trim() !== END) fail(lines.length, `a patch ends with "${END}"`);
  const body = lines.slice(1, -1);
  const operations: PatchOperation[] = [];
  let index = 0;
  const lineNumber = () => index + 2;
  while (index < body.length) {
    const line = body[index] as string;
    if (line.startsWith(ADD)) {
      const path = headerPath(line, ADD, lineNumber());
      index++;
      const added: string[] = [];
      while (index < body.length && !isHeader(body[index] as string)) {
        const next = body[index] as string;
        if (!next.startsWith("+"))
          fail(lineNumber(), `every line of an added file starts with "+" (in "${path}")`);
        added.push(next.slice(1));
        index++;
      }
      operations.push({ kind: "add", path, lines: added });
    } else if (line.startsWith(DELETE)) {
      operations.push({ kind: "delete", path: headerPath(line, DELETE, lineNumber()) });
      index++;
    } else if (line.startsWith(UPDATE)) {
      const path = headerPath(line, UPDATE, lineNumber());
      index++;
      let moveTo: string | undefined;
      if (index < body.length && (body[index] as string).startsWith(MOVE)) {
        moveTo = headerPath(body[index] as string, MOVE, lineNumber());
        index++;
      }
      const hunks: Hunk[] = [];
      while (index < body.length && !isHeader(body[index] as string)) {
        const { hunk, next } = parseHunk(body, index, path, hunks.length === 0);
        hunks.push(hunk);
        index = next;
      }
      if (hunks.length === 0 && moveTo === undefined)
        fail(lineNumber(), `"${path}" is updated without a hunk`);
      operations.push({ kind: "update", path, ...(moveTo === undefined ? {} : { moveTo }), hunks });
    } else {
      fail(lineNumber(), `expected "${ADD}", "${UPDATE}" or "${DELETE}", got "${line.slice(0, 80)}"`);
    }
  }
  if (operations.length === 0) fail(2, "the patch changes no file");
  return operations;
}

/** Reads one hunk from `start`; the first hunk of a file may leave out its `@@` line. */
function parseHunk(
  body: string[],
  start: number,
  path: string,
  first: boolean,
): { hunk: Hunk; next: number } {
  let index = start;
  const header = body[index] as string;
  let anchor: string | undefined;
  if (header === "@@" || header.startsWith("@@ ")) {
    const text = header.slice(2).trim();
    if (text !== "") anchor = text;
    index++;
  } else if (!first) {
    fail(index + 2, `expected "@@" to start the next hunk of "${path}"`);
  }
  const lines: HunkLine[] = [];
  let endOfFile = false;
  while (index < body.length) {
    const line = body[index] as string;
    if (isHeader(line) || line === "@@" || line.startsWith("@@ ")) break;
    if (line === END_OF_FILE) {
      endOfFile = true;
      index++;
      break;
    }
    const marker = line[0];
    // An empty line in a hunk is an empty context line: editors strip the lone space.
    if (line === "") lines.push({ kind: "context", text: "" });
    else if (marker === " ") lines.push({ kind: "context", text: line.slice(1) });
    else if (marker === "-") lines.push({ kind: "remove", text: line.slice(1) });
    else if (marker === "+") lines.push({ kind: "add", text: line.slice(1) });
    else fail(index + 2, `a hunk line of "${path}" starts with " ", "-" or "+", got "${line.slice(0, 80)}"`);
    index++;
  }
  if (lines.length === 0) fail(index + 1, `a hunk of "${path}" has no lines`);
  return { hunk: { ...(anchor === undefined ? {} : { anchor }), lines, endOfFile }, next: index };
}

function isHeader(line: string): boolean {
  return line.startsWith(ADD) || line.startsWith(DELETE) || line.startsWith(UPDATE);
}

function headerPath(line: string, prefix: string, lineNumber: number): string {
  const path = line.slice(prefix.length).trim();
  if (path === "") fail(lineNumber, `"${prefix.trim()}" needs a path`);
  return path;
}

function fail(lineNumber: number, message: string): never {
  throw new ToolInputError(`apply_patch: invalid patch at line ${lineNumber}: ${message}`);
}
