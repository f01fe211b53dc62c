import type pg from "pg";
import { OpenClawError } from "../../errors.js";
import type { PostgresDatabase } from "./postgres-database.js";
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from "./postgres-schema.js";

/** Any fixed number: every gateway of every build takes the same lock before migrating. */
const MIGRATION_LOCK_KEY = 0x6f70656e636c6177n; // "openclaw"

export interface MigrationResult {
  /** The version before, 0 for an empty database. */
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to this build's version. Several gateways starting at once queue on a
 * session advisory lock, so the steps run once: the second finds them applied. Each step runs in
 * its own transaction with its row in `schema_migrations`, so a gateway killed mid-step leaves
 * the step undone, never half done. A database a newer build migrated is refused: this build
 * would misread what the newer one writes.
 */
export async function migrate(
  database: PostgresDatabase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const known = migrations.reduce((newest, migration) => Math.max(newest, migration.version), 0);
  let client: pg.PoolClient;
  try {
    client = await database.pool.connect();
  } catch (error) {
    throw database.translate(error);
  }
  let broken = false;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ version: number | null }>(
        "SELECT max(version) AS version FROM schema_migrations",
      );
      const from = rows[0]?.version ?? 0;
      if (from > known) {
        throw new OpenClawError(
          "OC_ERR_STORAGE_SCHEMA",
          `the storage at ${database.location} has schema version ${from}; this build knows up to ${known}`,
          {
            hint: "a newer OpenClaw migrated this database: run that version (or newer) on every gateway of the cluster, or point storage.url at another database",
            details: { schemaVersion: from, knownVersion: known },
          },
        );
      }
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (migration.version <= from) continue;
        try {
          await client.query("BEGIN");
          await client.query(migration.sql);
          await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
            migration.version,
            migration.name,
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {
            broken = true;
          });
          throw new OpenClawError(
            "OC_ERR_STORAGE_SCHEMA",
            `migrating the storage at ${database.location} to schema version ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`,
            {
              hint: "nothing of this step was applied; check the database user may create tables, then start the gateway again",
              cause: error,
            },
          );
        }
        applied.push(migration.version);
      }
      return { from, to: Math.max(from, ...applied), applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    throw database.translate(error);
  } finally {
    client.release(broken);
  }
}

export { SCHEMA_VERSION };
