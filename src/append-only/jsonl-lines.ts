/** Why a line of a JSONL file was not read. */
export type DamageKind =
  /** The last line has no newline: a write that never finished (the next append cuts it). */
  | "torn"
  /** Not JSON: glued lines from an older build, a partial overwrite, another program. */
  | "unparsable"
  /** JSON, but not the shape this file holds. */
  | "unexpected";

export interface DamagedLine {
  /** 1-based, as editors count. */
  line: number;
  kind: DamageKind;
}

export interface JsonLines<T> {
  values: T[];
  damaged: DamagedLine[];
}

/**
 * Reads a JSONL file's text: each whole line that parses to the expected shape, and a report
 * of every line that does not (readers log it instead of skipping silently). Blank lines are
 * not damage: they carry nothing.
 */
export function parseJsonLines<T>(text: string, isEntry: (value: unknown) => value is T): JsonLines<T> {
  const values: T[] = [];
  const damaged: DamagedLine[] = [];
  const lines = text.split("\n");
  // After a final "\n", split leaves an empty last element; otherwise the last line is torn.
  const torn = lines.pop() ?? "";
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      damaged.push({ line: index + 1, kind: "unparsable" });
      return;
    }
    if (isEntry(value)) values.push(value);
    else damaged.push({ line: index + 1, kind: "unexpected" });
  });
  if (torn.trim() !== "") damaged.push({ line: lines.length + 1, kind: "torn" });
  return { values, damaged };
}

/** One report per read of a damaged file: which file, how many lines, the first few of them. */
export interface DamageReport {
  file: string;
  count: number;
  lines: DamagedLine[];
}

const LINES_REPORTED = 10;

export function damageReport(file: string, damaged: readonly DamagedLine[]): DamageReport | undefined {
  if (damaged.length === 0) return undefined;
  return { file, count: damaged.length, lines: damaged.slice(0, LINES_REPORTED) };
}
