import type { FileHandle } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { asObject, type Tool, ToolInputError } from "../tool.js";
import { MAX_TOOL_OUTPUT_CHARS } from "../tool-output.js";
import { locateInWorkspace } from "./confine.js";
import { toToolError } from "./file-errors.js";
import { looksBinary, openRegularFile } from "./open-regular-file.js";
import { optionalPositiveInteger, requiredString, requireWorkspace } from "./workspace-input.js";

const CHUNK_BYTES = 64 * 1024;
/** Bytes kept of one line: a minified bundle can be a single line of many megabytes. */
const MAX_LINE_BYTES = 256 * 1024;
/**
 * The whole result, content JSON-encoded, must fit the turn loop's tool output cap: if the loop
 * cut the content instead, `nextOffset` would silently skip the lines it cut.
 */
const RESULT_OVERHEAD_CHARS = 512;

interface FileLine {
  bytes: Buffer;
  /** The line was longer than MAX_LINE_BYTES and only its start is in `bytes`. */
  cut: boolean;
}

export interface ReadResult {
  path: string;
  /** Line number (1-based) of the first line in `content`. */
  offset: number;
  /** How many lines `content` holds. */
  lines: number;
  /** Content was cut to fit the output cap, before `limit` or the end of the file. */
  truncated: boolean;
  /** Where to continue reading; absent when `content` reaches the end of the file. */
  nextOffset?: number;
  note?: string;
  content: string;
}

/** Reads a UTF-8 text file of the workspace, by lines, capped to what one tool result can hold. */
export const readTool: Tool = {
  name: "read",
  description:
    "Reads a UTF-8 text file of the workspace. Paths are relative to the workspace root. Returns " +
    "whole lines, starting at line `offset` (1-based, default 1), at most `limit` lines, and at " +
    "most about 60 KB of text: when more remains, `nextOffset` tells where to continue. Binary " +
    "files and directories are refused (use list for directories).",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: "File path, relative to the workspace root." },
      offset: { type: "integer", minimum: 1, description: "First line to return, 1-based. Default 1." },
      limit: { type: "integer", minimum: 1, description: "Most lines to return. Default: as many as fit." },
    },
    required: ["path"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "read");
    const path = requiredString(fields, "path", "read");
    const offset = optionalPositiveInteger(fields, "offset", "read") ?? 1;
    const limit = optionalPositiveInteger(fields, "limit", "read");
    const workspace = requireWorkspace(context);
    try {
      const location = await locateInWorkspace(workspace.root, path, { hidden: workspace.hidden ?? [] });
      const { handle } = await openRegularFile(location.hostPath, path);
      try {
        const budget = MAX_TOOL_OUTPUT_CHARS - RESULT_OVERHEAD_CHARS - encodedLength(location.workspacePath);
        return await readLines(handle, path, location.workspacePath, { offset, limit, budget });
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw toToolError(error, path);
    }
  },
};

async function readLines(
  handle: FileHandle,
  path: string,
  workspacePath: string,
  { offset, limit, budget }: { offset: number; limit: number | undefined; budget: number },
): Promise<ReadResult> {
  const taken: string[] = [];
  let used = 0;
  let lineNumber = 0;
  let full = false;
  let truncated = false;
  let nextOffset: number | undefined;
  let note: string | undefined;

  for await (const line of fileLines(handle, path)) {
    lineNumber += 1;
    if (lineNumber < offset) continue;
    if (full) {
      nextOffset = lineNumber;
      break;
    }
    let text = line.cut ? new StringDecoder("utf8").write(line.bytes) : line.bytes.toString("utf8");
    let cost = encodedLength(text);
    if (used + cost > budget && taken.length > 0) {
      truncated = true;
      nextOffset = lineNumber;
      break;
    }
    if (used + cost > budget || line.cut) {
      text = prefixWithin(text, budget - used);
      cost = encodedLength(text);
      truncated = true;
      full = true;
      note = `line ${lineNumber} is too long to return whole; only its start is shown`;
    }
    taken.push(text);
    used += cost;
    if (limit !== undefined && taken.length >= limit) full = true;
  }

  if (offset > 1 && lineNumber < offset) {
    throw new ToolInputError(`offset ${offset} is past the end of "${path}", which has ${lineNumber} lines`);
  }
  if (truncated && nextOffset !== undefined) {
    note = `${note ? `${note}; ` : ""}output capped; continue with offset ${nextOffset}`;
  }
  return {
    path: workspacePath,
    offset,
    lines: taken.length,
    truncated,
    ...(nextOffset !== undefined ? { nextOffset } : {}),
    ...(note !== undefined ? { note } : {}),
    content: taken.join(""),
  };
}

/** The lines of a file as bytes, newline included, each kept up to MAX_LINE_BYTES. */
async function* fileLines(handle: FileHandle, path: string): AsyncGenerator<FileLine> {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let parts: Buffer[] = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) break;
    const data = chunk.subarray(0, bytesRead);
    if (looksBinary(data)) {
      throw new ToolInputError(
        `"${path}" looks like a binary file (it contains NUL bytes); read handles text only`,
      );
    }
    let start = 0;
    while (start < data.length) {
      const newline = data.indexOf(10, start);
      const end = newline === -1 ? data.length : newline + 1;
      const kept = Math.min(end - start, MAX_LINE_BYTES - size);
      if (kept > 0) {
        parts.push(Buffer.from(data.subarray(start, start + kept)));
        size += kept;
      }
      if (kept < end - start) cut = true;
      if (newline !== -1) {
        yield { bytes: Buffer.concat(parts), cut };
        parts = [];
        size = 0;
        cut = false;
      }
      start = end;
    }
  }
  if (size > 0) yield { bytes: Buffer.concat(parts), cut };
}

function encodedLength(text: string): number {
  return JSON.stringify(text).length - 2;
}

/** The longest start of `text` whose JSON encoding fits `budget` characters. */
function prefixWithin(text: string, budget: number): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (encodedLength(text.slice(0, middle)) <= budget) low = middle;
    else high = middle - 1;
  }
  // Never split a surrogate pair: half a character is not text.
  const last = text.charCodeAt(low - 1);
  if (low > 0 && last >= 0xd800 && last <= 0xdbff) low -= 1;
  return text.slice(0, low);
}
