export { DurableSqlite, type DurableSqliteOptions, type DurableSqliteSpec } from "./durable-sqlite.js";
export { migrateDurableSqlite } from "./durable-sqlite-migrate.js";
