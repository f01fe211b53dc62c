import type { ReplicaInfo, ReplicaRegistry } from "../replica-registry.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";

interface ReplicaRow {
  id: string;
  internal_url: string;
  version: string;
  started_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Replicas as rows whose expiry is judged by the storage's clock (the database's, unless injected). */
export class PostgresReplicaRegistry implements ReplicaRegistry {
  constructor(private readonly database: PostgresDatabase) {}

  async announce(replica: Omit<ReplicaInfo, "lastSeenAt" | "expiresAt">, ttlMs: number): Promise<void> {
    await this.database.query(
      `WITH clock AS (SELECT COALESCE($6::bigint, ${DATABASE_NOW_SQL}) AS now)
       INSERT INTO replicas (id, internal_url, version, started_at, last_seen_at, expires_at)
       SELECT $1, $2, $3, $4, clock.now, clock.now + $5 FROM clock
       ON CONFLICT (id) DO UPDATE SET internal_url = EXCLUDED.internal_url, version = EXCLUDED.version,
         started_at = EXCLUDED.started_at, last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at`,
      [
        replica.id,
        replica.internalUrl,
        replica.version,
        replica.startedAt,
        ttlMs,
        this.database.nowParameter(),
      ],
    );
  }

  async list(): Promise<ReplicaInfo[]> {
    const { rows } = await this.database.query<ReplicaRow>(
      `SELECT * FROM replicas WHERE expires_at > COALESCE($1::bigint, ${DATABASE_NOW_SQL}) ORDER BY started_at, id`,
      [this.database.nowParameter()],
    );
    return rows.map((row) => ({
      id: row.id,
      internalUrl: row.internal_url,
      version: row.version,
      startedAt: Number(row.started_at),
      lastSeenAt: Number(row.last_seen_at),
      expiresAt: Number(row.expires_at),
    }));
  }

  async leave(id: string): Promise<void> {
    await this.database.query("DELETE FROM replicas WHERE id = $1", [id]);
  }
}
