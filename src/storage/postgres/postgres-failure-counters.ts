import type { FailureCounterStore, FailureLimits } from "../failure-counter-store.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";

/** Keys untouched this long (and unlocked) are forgotten: a window or lockout is far shorter. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * Failure counters on PostgreSQL, FailureRateLimiter's rules: each failure is counted in a
 * transaction holding the key's row (SELECT … FOR UPDATE), so failures reported by several
 * gateways at once are counted one after another and the key locks at exactly maxAttempts.
 */
export class PostgresFailureCounters implements FailureCounterStore {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly database: PostgresDatabase) {}

  async recordFailure(key: string, limits: FailureLimits): Promise<{ locked: boolean; lockedUntil: number }> {
    const result = await this.database.transaction(async (client) => {
      const clock = this.database.nowParameter();
      await client.query(
        `INSERT INTO failure_counters (key, updated_at) VALUES ($1, COALESCE($2::bigint, ${DATABASE_NOW_SQL}))
         ON CONFLICT (key) DO NOTHING`,
        [key, clock],
      );
      const { rows } = await client.query<{ failures: string[]; locked_until: string; now: string }>(
        `SELECT failures, locked_until, COALESCE($2::bigint, ${DATABASE_NOW_SQL}) AS now
         FROM failure_counters WHERE key = $1 FOR UPDATE`,
        [key, clock],
      );
      const row = rows[0];
      if (!row) throw new Error(`the failure counter row for a key vanished inside its transaction`);
      const now = Number(row.now);
      const lockedUntil = Number(row.locked_until);
      if (lockedUntil > now) {
        await client.query("UPDATE failure_counters SET updated_at = $2 WHERE key = $1", [key, now]);
        return { locked: true, lockedUntil };
      }
      const windowStart = now - limits.windowMs;
      const failures = row.failures.map(Number).filter((at) => at > windowStart);
      failures.push(now);
      if (failures.length < limits.maxAttempts) {
        await client.query(
          "UPDATE failure_counters SET failures = $2, locked_until = 0, updated_at = $3 WHERE key = $1",
          [key, failures, now],
        );
        return { locked: false, lockedUntil: 0 };
      }
      const until = now + limits.lockoutMs;
      await client.query(
        "UPDATE failure_counters SET failures = '{}', locked_until = $2, updated_at = $3 WHERE key = $1",
        [key, until, now],
      );
      return { locked: true, lockedUntil: until };
    });
    await this.pruneNowAndThen();
    return result;
  }

  async lockedUntil(key: string): Promise<number> {
    const { rows } = await this.database.query<{ locked_until: string }>(
      `SELECT locked_until FROM failure_counters
       WHERE key = $1 AND locked_until > COALESCE($2::bigint, ${DATABASE_NOW_SQL})`,
      [key, this.database.nowParameter()],
    );
    return rows[0] ? Number(rows[0].locked_until) : 0;
  }

  async clear(key: string): Promise<void> {
    await this.database.query(
      `DELETE FROM failure_counters WHERE key = $1 AND locked_until <= COALESCE($2::bigint, ${DATABASE_NOW_SQL})`,
      [key, this.database.nowParameter()],
    );
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.database.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.database.query(
      `DELETE FROM failure_counters WHERE updated_at < COALESCE($1::bigint, ${DATABASE_NOW_SQL}) - $2
       AND locked_until <= COALESCE($1::bigint, ${DATABASE_NOW_SQL})`,
      [this.database.nowParameter(), FORGET_AFTER_MS],
    );
  }
}
