import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ClusterEvent } from "../cluster-events.js";
import { PostgresDatabase } from "./postgres-database.js";
import { LISTENER_APPLICATION_NAME } from "./postgres-listener.js";
import { migrate } from "./postgres-migrate.js";
import { SCHEMA_VERSION } from "./postgres-schema.js";
import { createPostgresStorage } from "./postgres-storage.js";
import { type PostgresServer, startPostgres } from "./testing/postgres-server.js";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe("PostgreSQL schema migrations", () => {
  it("migrates once when three gateways start at once, and not again on a restart", async () => {
    const url = await server.createDatabase();
    const storages = await Promise.all([1, 2, 3].map(() => createPostgresStorage({ url, poolSize: 2 })));
    const applied = storages.map((storage) => storage.migration.applied);
    expect(applied.filter((steps) => steps.length > 0)).toEqual([[1, 2]]);
    expect(storages.every((storage) => storage.migration.to === SCHEMA_VERSION)).toBe(true);
    await Promise.all(storages.map((storage) => storage.close()));
    const rows = (await sql(url, "SELECT version FROM schema_migrations ORDER BY version")).rows;
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
    const again = await createPostgresStorage({ url });
    expect(again.migration).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    await again.close();
  });

  it("refuses a database a newer build migrated, and touches nothing", async () => {
    const url = await server.createDatabase();
    await (await createPostgresStorage({ url })).close();
    await sql(url, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')", [
      SCHEMA_VERSION + 1,
    ]);
    await expect(createPostgresStorage({ url })).rejects.toMatchObject({
      code: "OC_ERR_STORAGE_SCHEMA",
      message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 1}`),
    });
  });

  it("leaves a failed step undone, saying which step failed", async () => {
    const url = await server.createDatabase();
    const database = new PostgresDatabase({ url });
    const broken = [
      { version: 1, name: "good", sql: "CREATE TABLE good (id int)" },
      { version: 2, name: "bad", sql: "CREATE TABLE half (id int); SELECT no_such_function()" },
    ];
    await expect(migrate(database, broken)).rejects.toMatchObject({
      code: "OC_ERR_STORAGE_SCHEMA",
      message: expect.stringContaining("schema version 2 (bad)"),
    });
    const tables = (await sql(url, "SELECT tablename FROM pg_tables WHERE tablename IN ('good', 'half')"))
      .rows;
    expect(tables.map((row) => row.tablename)).toEqual(["good"]);
    await database.close();
  });
});

describe("PostgreSQL cluster events", () => {
  it("replays what a subscriber's listener missed, and says `gap` when some of it was pruned", async () => {
    const url = await server.createDatabase();
    const storage = await createPostgresStorage({ url });
    const seen: ClusterEvent[] = [];
    storage.events.subscribe((event) => seen.push(event));
    const first = await storage.events.publish("chat", { n: 1 });
    await vi.waitFor(() => expect(seen).toHaveLength(1));

    // Rows written without a notification stand for what was committed while the listener was
    // away; the first of them is pruned as if retention had passed.
    await sql(
      url,
      "INSERT INTO cluster_events (topic, origin, payload, at) VALUES ('chat', 'x', '{\"n\":2}', 0)",
    );
    await sql(
      url,
      "INSERT INTO cluster_events (topic, origin, payload, at) VALUES ('chat', 'x', '{\"n\":3}', 0)",
    );
    await sql(
      url,
      "INSERT INTO cluster_events (topic, origin, payload, at) VALUES ('chat', 'x', '{\"n\":4}', 0)",
    );
    await sql(url, "DELETE FROM cluster_events WHERE seq <= $1", [first + 1]);
    await sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
      LISTENER_APPLICATION_NAME,
    ]);
    await vi.waitFor(() => expect(seen).toHaveLength(4), { timeout: 15_000 });
    expect(seen.map((event) => [event.topic, event.payload])).toEqual([
      ["chat", { n: 1 }],
      ["gap", { after: first, resumedAt: first + 2 }],
      ["chat", { n: 3 }],
      ["chat", { n: 4 }],
    ]);
    await storage.close();
  });

  it("announces the node changes its listener missed once it is back: a revocation is never lost", async () => {
    const url = await server.createDatabase();
    const storage = await createPostgresStorage({ url });
    const changes: string[] = [];
    storage.nodes.onChange((change) =>
      changes.push(`${change.type} ${change.node.id} ${change.node.status}`),
    );
    const node = await storage.nodes.request({ id: "dev-1", publicKey: "key-1" });
    await storage.nodes.approve(node.id);
    changes.length = 0;
    // Changes another gateway committed while this one's listener was away: rows, no notification.
    await sql(
      url,
      "UPDATE node_records SET record = jsonb_set(record, '{status}', '\"revoked\"') WHERE id = $1",
      ["dev-1"],
    );
    await sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
      LISTENER_APPLICATION_NAME,
    ]);
    await vi.waitFor(() => expect(changes).toEqual(["node-updated dev-1 revoked"]), { timeout: 15_000 });
    await sql(url, "DELETE FROM node_records WHERE id = $1", ["dev-1"]);
    await sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
      LISTENER_APPLICATION_NAME,
    ]);
    await vi.waitFor(() => expect(changes.at(-1)).toBe("node-removed dev-1 revoked"), { timeout: 15_000 });
    await storage.close();
  });

  it("carries an event too big for a notification by its seq", async () => {
    const url = await server.createDatabase();
    const storage = await createPostgresStorage({ url });
    const seen: ClusterEvent[] = [];
    storage.events.subscribe((event) => seen.push(event));
    const big = { text: "x".repeat(20_000) };
    await storage.events.publish("canvas", big);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.payload).toEqual(big);
    await storage.close();
  });
});

describe("PostgreSQL storage and its URL's password", () => {
  it("never shows the password: location, unreachable and schema errors alike", async () => {
    const url = await server.createDatabase();
    const password = new URL(url).password;
    const storage = await createPostgresStorage({ url });
    expect(storage.transcripts.location).not.toContain(password);
    expect(storage.transcripts.location).toContain("***");
    expect(await storage.reachable()).toBe(true);
    await storage.close();
    expect(await storage.reachable()).toBe(false);

    const wrong = new URL(url);
    wrong.password = "wrong-secret-password";
    const refused = await createPostgresStorage({ url: wrong.toString() }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "OC_ERR_STORAGE_UNREACHABLE" });
    expect(String((refused as Error).message)).not.toContain("wrong-secret-password");

    const closedPort = new URL(url);
    closedPort.port = "1";
    const down = await createPostgresStorage({ url: closedPort.toString() }).catch((error: unknown) => error);
    expect(down).toMatchObject({
      code: "OC_ERR_STORAGE_UNREACHABLE",
      hint: expect.stringContaining("storage.url"),
    });
    expect(String((down as Error).message)).not.toContain(password);
  });
});
