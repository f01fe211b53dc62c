import {
  CLUSTER_EVENT_RETENTION_MS,
  type ClusterEvent,
  type ClusterEventHandler,
  type ClusterEvents,
} from "../cluster-events.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";
import type { PostgresListener } from "./postgres-listener.js";

export const EVENTS_CHANNEL = "openclaw_events";
/** NOTIFY payloads are limited to 8000 bytes: a bigger event goes by its seq and is read from the table. */
const NOTIFY_LIMIT = 7_900;
/** Seqs remembered as delivered, so that a notification and a replay never deliver one twice. */
const SEEN_KEPT = 5_000;
/** How far below the newest seen a replay looks: transactions commit out of seq order. */
const REPLAY_OVERLAP = 1_000;
const PRUNE_EVERY_MS = 60_000;

interface EventRow {
  seq: string;
  topic: string;
  origin: string;
  payload: unknown;
  at: string;
}

/**
 * Cluster events on PostgreSQL: a row in `cluster_events` (seq from a bigserial) and a NOTIFY
 * with the event (or only its seq, when too big) in the same statement, so the notification is
 * sent exactly when the row is committed. Each storage's listener delivers what it is notified
 * of; after a reconnect it reads the rows it missed. Rows older than CLUSTER_EVENT_RETENTION_MS
 * are pruned by publishers; a subscriber that finds rows it never saw pruned is told by a `gap`
 * event (seq: the last one it saw, origin: `storage`) before the rest.
 */
export class PostgresClusterEvents implements ClusterEvents {
  private readonly handlers = new Set<ClusterEventHandler>();
  private readonly seen = new Set<number>();
  private highest = 0;
  /** The newest seq when the storage opened: older events are not "from now on". */
  private floor = 0;
  private lastPrune = Number.NEGATIVE_INFINITY;
  private replaying: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: PostgresDatabase,
    private readonly origin: string,
  ) {}

  /** Listens on `listener` (before it starts), and learns where "from now on" begins. */
  attach(listener: PostgresListener): void {
    listener.on(EVENTS_CHANNEL, (payload) => this.notified(payload));
    listener.onReconnect(() => {
      this.replaying = this.replaying.then(() => this.replay()).catch(() => undefined);
    });
  }

  /** The newest seq when the storage opened: subscribers get what comes after. */
  async start(): Promise<void> {
    const { rows } = await this.database.query<{ seq: string | null }>(
      "SELECT max(seq) AS seq FROM cluster_events",
    );
    this.floor = Number(rows[0]?.seq ?? 0);
    this.highest = Math.max(this.highest, this.floor);
  }

  async publish(topic: string, payload: unknown): Promise<number> {
    const { rows } = await this.database.query<{ seq: string }>(
      `WITH event AS (
         INSERT INTO cluster_events (topic, origin, payload, at)
         VALUES ($1, $2, $3::jsonb, COALESCE($4::bigint, ${DATABASE_NOW_SQL}))
         RETURNING seq, topic, origin, payload, at
       ), notice AS (
         SELECT seq, (jsonb_build_object('seq', seq, 'topic', topic, 'origin', origin, 'at', at)
                      || CASE WHEN payload IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('payload', payload) END)::text AS text
         FROM event
       )
       SELECT seq, pg_notify($5, CASE WHEN octet_length(text) <= ${NOTIFY_LIMIT} THEN text
                                       ELSE jsonb_build_object('seq', seq)::text END)
       FROM notice`,
      [
        topic,
        this.origin,
        payload === undefined ? null : JSON.stringify(payload),
        this.database.nowParameter(),
        EVENTS_CHANNEL,
      ],
    );
    await this.pruneNowAndThen();
    return Number(rows[0]?.seq);
  }

  subscribe(handler: ClusterEventHandler): () => void {
    const own: ClusterEventHandler = (event) => handler(event);
    this.handlers.add(own);
    return () => this.handlers.delete(own);
  }

  private notified(text: string): void {
    let parsed: Partial<EventRow> & { seq: number };
    try {
      parsed = JSON.parse(text) as Partial<EventRow> & { seq: number };
    } catch {
      return;
    }
    if (parsed.topic === undefined) {
      // Too big for the notification: read it from the table.
      this.replaying = this.replaying
        .then(async () => {
          const { rows } = await this.database.query<EventRow>(
            "SELECT seq, topic, origin, payload, at FROM cluster_events WHERE seq = $1",
            [parsed.seq],
          );
          for (const row of rows) this.deliver(eventOf(row));
        })
        .catch(() => undefined);
      return;
    }
    this.deliver({
      seq: Number(parsed.seq),
      topic: parsed.topic,
      origin: String(parsed.origin),
      payload: parsed.payload,
      at: Number(parsed.at),
    });
  }

  /** After a reconnect: what was committed meanwhile, and a `gap` when some of it was pruned first. */
  private async replay(): Promise<void> {
    const before = this.highest;
    const { rows: bounds } = await this.database.query<{ oldest: string | null; last: string }>(
      "SELECT (SELECT min(seq) FROM cluster_events) AS oldest, (SELECT last_value FROM cluster_events_seq_seq) AS last",
    );
    const oldest =
      bounds[0]?.oldest === null || bounds[0]?.oldest === undefined ? undefined : Number(bounds[0].oldest);
    const last = Number(bounds[0]?.last ?? 0);
    const missedPruned = oldest === undefined ? last > before : oldest > before + 1;
    if (before > 0 && missedPruned) {
      this.emit({
        seq: before,
        topic: "gap",
        origin: "storage",
        payload: { after: before, resumedAt: oldest ?? null },
        at: this.database.now(),
      });
    }
    const { rows } = await this.database.query<EventRow>(
      "SELECT seq, topic, origin, payload, at FROM cluster_events WHERE seq > $1 ORDER BY seq",
      [Math.max(this.floor, before - REPLAY_OVERLAP)],
    );
    for (const row of rows) this.deliver(eventOf(row));
  }

  private deliver(event: ClusterEvent): void {
    if (this.seen.has(event.seq)) return;
    if (event.seq <= this.floor) return;
    this.seen.add(event.seq);
    if (this.seen.size > SEEN_KEPT) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.highest = Math.max(this.highest, event.seq);
    this.emit(event);
  }

  private emit(event: ClusterEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error), {
          code: "OPENCLAW_CLUSTER_EVENT",
        });
      }
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.database.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.database.query(
      `DELETE FROM cluster_events WHERE at < COALESCE($1::bigint, ${DATABASE_NOW_SQL}) - $2`,
      [this.database.nowParameter(), CLUSTER_EVENT_RETENTION_MS],
    );
  }
}

function eventOf(row: EventRow): ClusterEvent {
  return {
    seq: Number(row.seq),
    topic: row.topic,
    origin: row.origin,
    payload: row.payload === null ? undefined : row.payload,
    at: Number(row.at),
  };
}
