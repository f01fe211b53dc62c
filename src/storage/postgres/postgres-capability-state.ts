import { randomBytes } from "node:crypto";
import type { CapabilityRevocation, CapabilityStateStore } from "../capability-state-store.js";
import { DATABASE_NOW_SQL, type PostgresDatabase } from "./postgres-database.js";

/**
 * The capability key and revocations on PostgreSQL. The key is offered by every gateway that
 * asks and kept from the first (INSERT … ON CONFLICT DO NOTHING, then read back): gateways
 * starting at once all end up with the one stored.
 */
export class PostgresCapabilityState implements CapabilityStateStore {
  private key: Buffer | undefined;

  constructor(private readonly database: PostgresDatabase) {}

  async signingKey(): Promise<Buffer> {
    if (!this.key) {
      await this.database.query("INSERT INTO capability_key (key) VALUES ($1) ON CONFLICT DO NOTHING", [
        randomBytes(32),
      ]);
      const { rows } = await this.database.query<{ key: Buffer }>("SELECT key FROM capability_key");
      const stored = rows[0]?.key;
      if (!stored) throw new Error("the capability key row vanished right after it was written");
      this.key = stored;
    }
    return Buffer.from(this.key);
  }

  async revoke(revocation: CapabilityRevocation): Promise<void> {
    // A later revocation replaces an earlier; one voiding less than what is stored does not shrink it.
    await this.database.query(
      `INSERT INTO capability_revocations (scope, id, issued_up_to, keep_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, id) DO UPDATE SET issued_up_to = EXCLUDED.issued_up_to, keep_until = EXCLUDED.keep_until
       WHERE capability_revocations.issued_up_to <= EXCLUDED.issued_up_to`,
      [revocation.scope, revocation.id, revocation.issuedUpTo, revocation.keepUntil],
    );
  }

  async revocations(): Promise<CapabilityRevocation[]> {
    const now = this.database.nowParameter();
    await this.database.query(
      `DELETE FROM capability_revocations WHERE keep_until <= COALESCE($1::bigint, ${DATABASE_NOW_SQL})`,
      [now],
    );
    const { rows } = await this.database.query<{
      scope: "node" | "session";
      id: string;
      issued_up_to: string;
      keep_until: string;
    }>(
      `SELECT scope, id, issued_up_to, keep_until FROM capability_revocations
       WHERE keep_until > COALESCE($1::bigint, ${DATABASE_NOW_SQL}) ORDER BY scope, id`,
      [now],
    );
    return rows.map((row) => ({
      scope: row.scope,
      id: row.id,
      issuedUpTo: Number(row.issued_up_to),
      keepUntil: Number(row.keep_until),
    }));
  }
}
