import { randomUUID } from "node:crypto";
import type { RunLease, RunLock } from "../run-lock.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";

/**
 * Run leases as rows, each taken by one statement: an upsert that replaces the row only when it
 * is expired, so two gateways acquiring at once cannot both win. Expiry is judged by the
 * database's clock (the injected one in tests), one clock for every gateway of the cluster.
 */
export class PostgresRunLock implements RunLock {
  constructor(private readonly database: PostgresDatabase) {}

  async acquire(key: string, ttlMs: number): Promise<RunLease | null> {
    const token = randomUUID();
    const { rows } = await this.database.query<{ expires_at: string }>(
      `WITH clock AS (SELECT COALESCE($4::bigint, ${DATABASE_NOW_SQL}) AS now)
       INSERT INTO run_leases (key, token, expires_at) SELECT $1, $2, clock.now + $3 FROM clock
       ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
       WHERE run_leases.expires_at <= (SELECT now FROM clock)
       RETURNING expires_at`,
      [key, token, ttlMs, this.database.nowParameter()],
    );
    const row = rows[0];
    return row ? { key, token, expiresAt: Number(row.expires_at) } : null;
  }

  async extend(lease: RunLease, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `UPDATE run_leases SET expires_at = COALESCE($3::bigint, ${DATABASE_NOW_SQL}) + $4
       WHERE key = $1 AND token = $2`,
      [lease.key, lease.token, this.database.nowParameter(), ttlMs],
    );
    return (rowCount ?? 0) > 0;
  }

  async release(lease: RunLease): Promise<void> {
    await this.database.query("DELETE FROM run_leases WHERE key = $1 AND token = $2", [
      lease.key,
      lease.token,
    ]);
  }
}
