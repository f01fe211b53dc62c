import { OpenClawError } from "../../errors.js";
import type { IdempotencyClaim, IdempotencyStore } from "../idempotency-store.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";

/**
 * Idempotency keys of one purpose, shared by every gateway on the database. A claim is one
 * upsert that takes the key only when it is unknown or expired, so two gateways claiming at once
 * get one winner; the bound drops the oldest claims beyond `maxEntries`.
 */
export class PostgresIdempotencyStore<T> implements IdempotencyStore<T> {
  constructor(
    private readonly database: PostgresDatabase,
    private readonly purpose: string,
    private readonly maxEntries: number,
  ) {}

  async claim(key: string, value: T, ttlMs: number): Promise<IdempotencyClaim<T>> {
    // A key forgotten between the two statements of an attempt is claimed afresh.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claim = await this.claimOnce(key, value, ttlMs);
      if (claim) return claim;
    }
    throw new OpenClawError("OC_ERR_INTERNAL", `idempotency key ${key} kept changing under its claim`, {
      hint: "another gateway claims and forgets this key in a loop; retry the request",
    });
  }

  private async claimOnce(key: string, value: T, ttlMs: number): Promise<IdempotencyClaim<T> | undefined> {
    const clock = this.database.nowParameter();
    const { rows } = await this.database.query<{ claimed: boolean; value: string }>(
      `WITH clock AS (SELECT COALESCE($5::bigint, ${DATABASE_NOW_SQL}) AS now),
       taken AS (
         INSERT INTO idempotency_keys (purpose, key, value, expires_at)
         SELECT $1, $2, $3, clock.now + $4 FROM clock
         ON CONFLICT (purpose, key) DO UPDATE
           SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at,
               claim_seq = nextval(pg_get_serial_sequence('idempotency_keys', 'claim_seq'))
           WHERE idempotency_keys.expires_at <= (SELECT now FROM clock)
         RETURNING true AS claimed, value
       )
       SELECT claimed, value FROM taken
       UNION ALL
       SELECT false, value FROM idempotency_keys
       WHERE purpose = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM taken)`,
      [this.purpose, key, JSON.stringify(value ?? null), ttlMs, clock],
    );
    let row = rows[0];
    if (!row) {
      // Nothing taken and nothing seen: another claim committed the key while this statement
      // ran. The upsert waited for it and saw its row, but the SELECT reads the statement's
      // snapshot, taken before that commit. A new statement has a new snapshot that holds it.
      const again = await this.database.query<{ value: string }>(
        "SELECT value FROM idempotency_keys WHERE purpose = $1 AND key = $2",
        [this.purpose, key],
      );
      const seen = again.rows[0];
      if (!seen) return undefined;
      row = { claimed: false, value: seen.value };
    }
    if (row.claimed) {
      await this.trim();
      return { claimed: true };
    }
    return { claimed: false, existing: JSON.parse(row.value) as T };
  }

  async update(key: string, value: T): Promise<void> {
    await this.database.query(
      `UPDATE idempotency_keys SET value = $3
       WHERE purpose = $1 AND key = $2 AND expires_at > COALESCE($4::bigint, ${DATABASE_NOW_SQL})`,
      [this.purpose, key, JSON.stringify(value ?? null), this.database.nowParameter()],
    );
  }

  async get(key: string): Promise<T | undefined> {
    const { rows } = await this.database.query<{ value: string }>(
      `SELECT value FROM idempotency_keys
       WHERE purpose = $1 AND key = $2 AND expires_at > COALESCE($3::bigint, ${DATABASE_NOW_SQL})`,
      [this.purpose, key, this.database.nowParameter()],
    );
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  async forget(key: string): Promise<void> {
    await this.database.query("DELETE FROM idempotency_keys WHERE purpose = $1 AND key = $2", [
      this.purpose,
      key,
    ]);
  }

  /** Expired keys go, then the oldest claims beyond the bound. */
  private async trim(): Promise<void> {
    await this.database.query(
      `DELETE FROM idempotency_keys WHERE purpose = $1 AND (
         expires_at <= COALESCE($3::bigint, ${DATABASE_NOW_SQL})
         OR claim_seq <= (SELECT claim_seq FROM idempotency_keys WHERE purpose = $1
                          ORDER BY claim_seq DESC OFFSET $2 LIMIT 1))`,
      [this.purpose, this.maxEntries, this.database.nowParameter()],
    );
  }
}
