import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.js";
import { openStorage } from "./open-storage.js";
import { type PostgresServer, startPostgres } from "./postgres/testing/postgres-server.js";

let server: PostgresServer;
let stateDir: string;
beforeAll(async () => {
  server = await startPostgres();
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-open-storage-"));
});
afterAll(async () => {
  await server?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe("storage config", () => {
  it("defaults to sqlite (the state dir) and opens the files backend", async () => {
    const config = ConfigSchema.parse({});
    expect(config.storage).toEqual({ kind: "sqlite", poolSize: 10 });
    const storage = await openStorage({ config: config.storage, stateDir, readSecret: () => undefined });
    expect(storage).toMatchObject({ kind: "files", shared: false });
    await storage.close();
  });

  it("opens PostgreSQL with the URL from a secret", async () => {
    const url = await server.createDatabase();
    const config = ConfigSchema.parse({
      externalSecrets: { "pg-url": { source: "env", key: "OPENCLAW_TEST_PG_URL" } },
      storage: { kind: "postgres", url: { $secret: "pg-url" }, poolSize: 3 },
    });
    const storage = await openStorage({
      config: config.storage,
      stateDir,
      readSecret: (name) => (name === "pg-url" ? url : undefined),
    });
    expect(storage).toMatchObject({ kind: "postgres", shared: true });
    expect(await storage.reachable()).toBe(true);
    await storage.close();
  });

  it("refuses a literal URL with a password in openclaw.json, saying where it belongs", () => {
    const result = ConfigSchema.safeParse({
      storage: { kind: "postgres", url: "postgresql://openclaw:hunter2@db.internal:5432/openclaw" },
    });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((each) => each.path.join(".") === "storage.url");
    expect(issue?.message).toContain("externalSecrets");
    expect(issue?.message).not.toContain("hunter2");
  });

  it("refuses postgres without a URL, and a URL without postgres", () => {
    const missing = ConfigSchema.safeParse({ storage: { kind: "postgres" } });
    expect(missing.error?.issues.map((each) => each.path.join("."))).toContain("storage.url");
    const stray = ConfigSchema.safeParse({ storage: { url: "postgresql://db.internal/openclaw" } });
    expect(stray.error?.issues.map((each) => each.path.join("."))).toContain("storage.url");
  });

  it("says which secret gave no URL", async () => {
    await expect(
      openStorage({
        config: { kind: "postgres", url: { $secret: "pg-url" } },
        stateDir,
        readSecret: () => undefined,
      }),
    ).rejects.toMatchObject({
      code: "OC_ERR_SECRET_UNAVAILABLE",
      message: expect.stringContaining("pg-url"),
    });
  });
});
