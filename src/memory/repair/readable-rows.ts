import type { DatabaseSync, StatementSync } from "node:sqlite";
import { isCorruption } from "../store/index.js";

/** A stretch of a table that could not be read: the keys after `after` up to `resumedAfter`. */
export interface UnreadableRange {
  table: string;
  after: number;
  /** Where reading resumed; absent when nothing after `after` could be read. */
  resumedAfter?: number;
  error: string;
}

/** Resumes one table may need before the scan gives up on it (each costs a few dozen probes). */
const MAX_GAPS = 1000;
/** How far ahead the scan looks for readable keys after a gap: 2^40 keys. */
const MAX_PROBE_STEPS = 40;

type Row = Record<string, unknown>;

/**
 * Reads a table in the order of its integer key, skipping what cannot be read. SQLite fails a
 * whole statement when it reaches one damaged page, so after an error the scan looks ahead (1,
 * 2, 4, … keys) for a key it can seek to, narrows back to the first such key, and goes on from
 * there: a damaged page costs the rows on it, not the rest of the table.
 */
export function readReadableRows(
  db: DatabaseSync,
  table: string,
  columns: string,
  key: string,
  onRow: (row: Row) => void,
): UnreadableRange[] {
  const gaps: UnreadableRange[] = [];
  let select: StatementSync;
  let probe: StatementSync;
  try {
    select = db.prepare(`SELECT ${columns} FROM ${table} WHERE ${key} > ? ORDER BY ${key}`);
    probe = db.prepare(`SELECT ${key} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT 1`);
  } catch (error) {
    return [{ table, after: Number.MIN_SAFE_INTEGER, error: (error as Error).message }];
  }
  const readableFrom = (start: number): boolean => {
    try {
      probe.get(start);
      return true;
    } catch (error) {
      if (isCorruption(error)) return false;
      throw error;
    }
  };
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    try {
      for (const row of select.iterate(after) as Iterable<Row>) {
        after = Number(row[key]);
        onRow(row);
      }
      return gaps;
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const resumedAfter = gaps.length < MAX_GAPS ? nextReadableStart(after, readableFrom) : undefined;
      const previous = gaps.at(-1);
      // A gap that starts where the last one resumed is the same damage, seen one row later.
      if (previous?.resumedAfter === after) {
        if (resumedAfter === undefined) delete previous.resumedAfter;
        else previous.resumedAfter = resumedAfter;
      } else {
        gaps.push({
          table,
          after,
          ...(resumedAfter === undefined ? {} : { resumedAfter }),
          error: (error as Error).message,
        });
      }
      if (resumedAfter === undefined) return gaps;
      after = resumedAfter;
    }
  }
}

/** The smallest start after `after` that SQLite can seek to, found by doubling then halving. */
function nextReadableStart(after: number, readableFrom: (start: number) => boolean): number | undefined {
  let unreadable = after;
  let found: number | undefined;
  for (let step = 1, count = 0; count < MAX_PROBE_STEPS; step *= 2, count++) {
    const candidate = after + step;
    if (readableFrom(candidate)) {
      found = candidate;
      break;
    }
    unreadable = candidate;
  }
  if (found === undefined) return undefined;
  let readable = found;
  while (readable - unreadable > 1) {
    const middle: number = unreadable + Math.floor((readable - unreadable) / 2);
    if (readableFrom(middle)) readable = middle;
    else unreadable = middle;
  }
  return readable;
}
