import { isEphemeralSessionKey } from "../../sessions/session-key.js";
import type { TranscriptEntry } from "../../sessions/transcript-entry.js";
import {
  newestFirst,
  type SessionSummary,
  type StoredTranscript,
  summarizeSession,
  type TranscriptRead,
  type TranscriptRepository,
} from "../transcript-repository.js";
import type { PostgresDatabase } from "./postgres-database.js";

const SESSION_PREFIX = "session:";
const REQUESTS_PREFIX = "requests:";

interface UnitRow {
  name: string;
  kind: "session" | "requests";
  session_key: string | null;
  day: string | null;
  bytes: string;
  entry_count: string;
  last_entry: string | null;
  last_written_at: string;
}

/**
 * Transcripts on PostgreSQL: entries as rows (their JSON text as given), one unit row per
 * session (or per UTC day of stateless requests, as the files backend groups them) carrying
 * what `list` shows, updated in the append's transaction. Appends to one unit queue in this
 * process (call order), and the unit row's lock orders them across gateways.
 */
export class PostgresTranscriptRepository implements TranscriptRepository {
  readonly location: string;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly database: PostgresDatabase) {
    this.location = database.location;
  }

  append(sessionKey: string, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const now = this.database.now();
    const unit = this.unitOf(sessionKey, now);
    const lines = entries.map((entry) => JSON.stringify(entry));
    const previous = this.queues.get(unit.name) ?? Promise.resolve();
    const run = previous.then(() => this.write(sessionKey, unit, lines, now));
    const settled = run.catch(() => undefined);
    this.queues.set(unit.name, settled);
    settled.then(() => {
      if (this.queues.get(unit.name) === settled) this.queues.delete(unit.name);
    });
    return run;
  }

  async read(sessionKey: string): Promise<TranscriptRead> {
    const unit = isEphemeralSessionKey(sessionKey) ? undefined : `${SESSION_PREFIX}${sessionKey}`;
    const { rows } = await this.database.query<{ entry: string }>(
      unit === undefined
        ? "SELECT entry FROM transcript_entries WHERE session_key = $1 ORDER BY seq"
        : "SELECT entry FROM transcript_entries WHERE unit = $2 AND session_key = $1 ORDER BY seq",
      unit === undefined ? [sessionKey] : [sessionKey, unit],
    );
    return { entries: rows.map((row) => JSON.parse(row.entry) as TranscriptEntry), damage: undefined };
  }

  async list(): Promise<SessionSummary[]> {
    const { rows } = await this.database.query<UnitRow>(
      "SELECT * FROM transcript_units WHERE kind = 'session'",
    );
    return newestFirst(
      rows.map((row) => {
        const summary = summarizeSession(
          row.session_key ?? row.name.slice(SESSION_PREFIX.length),
          row.last_entry ? [JSON.parse(row.last_entry) as TranscriptEntry] : [],
          Number(row.last_written_at),
        );
        return { ...summary, messageCount: Number(row.entry_count) };
      }),
    );
  }

  async listStored(): Promise<StoredTranscript[]> {
    const { rows } = await this.database.query<UnitRow>("SELECT * FROM transcript_units ORDER BY name");
    return rows.map((row): StoredTranscript => {
      const weight = { name: row.name, bytes: Number(row.bytes), lastWrittenAt: Number(row.last_written_at) };
      return row.kind === "requests"
        ? { kind: "requests", day: row.day ?? "", ...weight }
        : { kind: "session", sessionKey: row.session_key ?? undefined, ...weight };
    });
  }

  async removeIfIdle(name: string): Promise<boolean> {
    if (this.queues.has(name)) return false;
    await this.database.query("DELETE FROM transcript_units WHERE name = $1", [name]);
    return true;
  }

  async close(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private async write(
    sessionKey: string,
    unit: { name: string; kind: "session" | "requests"; day: string | null },
    lines: string[],
    now: number,
  ): Promise<void> {
    const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    await this.database.transaction(async (client) => {
      await client.query(
        `INSERT INTO transcript_units (name, kind, session_key, day, bytes, entry_count, last_entry, last_written_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (name) DO UPDATE SET bytes = transcript_units.bytes + EXCLUDED.bytes,
           entry_count = transcript_units.entry_count + EXCLUDED.entry_count,
           last_entry = EXCLUDED.last_entry, last_written_at = EXCLUDED.last_written_at`,
        [
          unit.name,
          unit.kind,
          unit.kind === "session" ? sessionKey : null,
          unit.day,
          bytes,
          lines.length,
          lines.at(-1),
          now,
        ],
      );
      await client.query(
        `INSERT INTO transcript_entries (unit, session_key, entry)
         SELECT $1, $2, line FROM unnest($3::text[]) WITH ORDINALITY AS lines (line, position) ORDER BY position`,
        [unit.name, sessionKey, lines],
      );
    });
  }

  private unitOf(sessionKey: string, now: number) {
    if (!isEphemeralSessionKey(sessionKey)) {
      return { name: `${SESSION_PREFIX}${sessionKey}`, kind: "session" as const, day: null };
    }
    const day = new Date(now).toISOString().slice(0, 10);
    return { name: `${REQUESTS_PREFIX}${day}`, kind: "requests" as const, day };
  }
}
