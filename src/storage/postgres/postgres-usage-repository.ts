import type { UsageEntry } from "../../usage/usage-entry.js";
import {
  type UsageRange,
  type UsageRead,
  type UsageRepository,
  usageEntryInRange,
} from "../usage-repository.js";
import type { PostgresDatabase } from "./postgres-database.js";

const MINUTE_MS = 60_000;

/** Usage sums as rows, each the JSON given; one multi-row INSERT, so a record is all or nothing. */
export class PostgresUsageRepository implements UsageRepository {
  readonly location: string;

  constructor(private readonly database: PostgresDatabase) {
    this.location = database.location;
  }

  async record(entries: readonly UsageEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.database.query(
      `INSERT INTO usage_sums (minute, agent, entry)
       SELECT minute, agent, entry FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY
         AS sums (minute, agent, entry, position) ORDER BY position`,
      [
        entries.map((entry) => entry.minute),
        entries.map((entry) => entry.agent),
        entries.map((entry) => JSON.stringify(entry)),
      ],
    );
  }

  async query(range: UsageRange = {}): Promise<UsageRead> {
    // The minute bounds narrow by the index; usageEntryInRange decides, as every backend does.
    const since = range.since === undefined ? null : new Date(range.since - MINUTE_MS).toISOString();
    const until = range.until === undefined ? null : new Date(range.until).toISOString();
    const { rows } = await this.database.query<{ entry: string }>(
      `SELECT entry FROM usage_sums
       WHERE ($1::text IS NULL OR minute >= $1) AND ($2::text IS NULL OR minute < $2)
         AND ($3::text IS NULL OR agent = $3)
       ORDER BY seq`,
      [since, until, range.agent ?? null],
    );
    const entries = rows
      .map((row) => JSON.parse(row.entry) as UsageEntry)
      .filter((entry) => usageEntryInRange(entry, range));
    return { entries, damage: [] };
  }

  async close(): Promise<void> {}
}
