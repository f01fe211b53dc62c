import { ToolInputError } from "../tool.js";
import type { Hunk } from "./patch-types.js";

/**
 * Applies the hunks of one `*** Update File:` to its text, in order, each searched after the
 * previous one. A hunk is found by its exact lines first, then ignoring trailing whitespace
 * (models often drop it); if it is not found the whole update fails, naming the hunk.
 * The result ends with a newline, as a text file should.
 */
export function applyHunks(text: string, hunks: readonly Hunk[], path: string): string {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let cursor = 0;
  hunks.forEach((hunk, hunkIndex) => {
    const where = `hunk ${hunkIndex + 1} of "${path}"`;
    if (hunk.anchor !== undefined) {
      const anchorAt = findSequence(lines, [hunk.anchor], cursor, false, true);
      if (anchorAt < 0)
        throw new ToolInputError(`apply_patch: ${where} does not apply: no line "${hunk.anchor}"`);
      cursor = anchorAt + 1;
    }
    const oldLines = hunk.lines.filter((line) => line.kind !== "add").map((line) => line.text);
    const newLines = hunk.lines.filter((line) => line.kind !== "remove").map((line) => line.text);
    let at: number;
    if (oldLines.length === 0) {
      // Pure insertion: at the end of the file, or right after the anchor line.
      at = hunk.endOfFile || hunk.anchor === undefined ? lines.length : cursor;
    } else {
      at = findSequence(lines, oldLines, cursor, hunk.endOfFile, false);
      if (at < 0) at = findSequence(lines, oldLines, cursor, hunk.endOfFile, true);
      if (at < 0) {
        const first = oldLines[0] ?? "";
        throw new ToolInputError(
          `apply_patch: ${where} does not apply: its ${oldLines.length} context/removed line(s) ` +
            `starting "${first.slice(0, 80)}" are not in the file${hunk.endOfFile ? " at its end" : ""}` +
            "; read the file again and rewrite the hunk",
        );
      }
    }
    lines.splice(at, oldLines.length, ...newLines);
    cursor = at + newLines.length;
  });
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function findSequence(
  lines: readonly string[],
  wanted: readonly string[],
  from: number,
  atEnd: boolean,
  loose: boolean,
): number {
  const same = loose
    ? (a: string, b: string) => a.trimEnd() === b.trimEnd() || a.trim() === b.trim()
    : (a: string, b: string) => a === b;
  const last = lines.length - wanted.length;
  const starts = atEnd ? [last] : range(from, last);
  for (const start of starts) {
    if (start < from || start < 0) continue;
    if (wanted.every((line, offset) => same(lines[start + offset] as string, line))) return start;
  }
  return -1;
}

function range(from: number, to: number): number[] {
  const result: number[] = [];
  for (let index = from; index <= to; index++) result.push(index);
  return result;
}
