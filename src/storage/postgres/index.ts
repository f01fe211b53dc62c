/**
 * The PostgreSQL storage: what several gateways of a cluster share (issue 24). `testing/` (a
 * real server for tests) is test code and not exported here.
 */
export {
  DATABASE_NOW_SQL,
  DEFAULT_POOL_SIZE,
  PostgresDatabase,
  type PostgresDatabaseOptions,
  type Queryable,
  redactedUrl,
} from "./postgres-database.js";
export { LISTENER_APPLICATION_NAME } from "./postgres-listener.js";
export { type MigrationResult, migrate, SCHEMA_VERSION } from "./postgres-migrate.js";
export { MIGRATIONS, type Migration } from "./postgres-schema.js";
export {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from "./postgres-storage.js";
