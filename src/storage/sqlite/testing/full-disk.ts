import type { StateWriter, WriteOutcomeReporter } from "../../../state-dir-health/state-dir-health.js";
import type { DurableSqlite } from "../durable-sqlite.js";

/** A health that writes down every outcome it is told, as "`<writer>` ok" / "`<writer>` failed `<file>`". */
export function recordingHealth(): { health: WriteOutcomeReporter; reports: string[] } {
  const reports: string[] = [];
  const health: WriteOutcomeReporter = {
    writeFailed: (writer: StateWriter, _error: unknown, file?: string) => {
      reports.push(`${writer} failed ${file}`);
      return undefined;
    },
    writeSucceeded: (writer: StateWriter) => {
      reports.push(`${writer} ok`);
    },
  };
  return { health, reports };
}

/**
 * Lets the open file grow by one page at most: SQLite's own limit stands in for a full
 * filesystem, failing a write the same way (SQLITE_FULL). The returned function lifts it.
 */
export function fillDisk(database: DurableSqlite): () => void {
  const pages = database.read(() => database.statement("PRAGMA page_count").get()?.page_count as number);
  database.read(() => database.statement(`PRAGMA max_page_count = ${pages + 1}`).get());
  return () => {
    database.read(() => database.statement("PRAGMA max_page_count = 1073741823").get());
  };
}
