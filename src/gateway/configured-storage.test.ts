import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { Redactor } from "../secrets/index.js";
import { type PostgresServer, startPostgres } from "../storage/postgres/testing/postgres-server.js";
import { openConfiguredStorage } from "./configured-storage.js";

let dir: string;
let server: PostgresServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oc-configured-storage-"));
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  delete process.env.OC_TEST_PG_URL;
});

async function writeConfig(config: unknown): Promise<string> {
  const path = join(dir, `openclaw-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(config));
  return path;
}

function postgresConfig() {
  return {
    externalSecrets: { "pg-url": { source: "env", key: "OC_TEST_PG_URL" } },
    storage: { kind: "postgres", url: { $secret: "pg-url" } },
  };
}

/** A loopback port nothing listens on: the connection is refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("openConfiguredStorage", () => {
  it("leaves the state dir's storage to the gateway for sqlite and for a missing config", async () => {
    const redactor = new Redactor();
    const sqlite = await writeConfig({ storage: { kind: "sqlite" } });
    expect(await openConfiguredStorage({ configPath: sqlite, stateDir: dir, redactor })).toBeUndefined();
    const missing = join(dir, "absent.json");
    expect(await openConfiguredStorage({ configPath: missing, stateDir: dir, redactor })).toBeUndefined();
  });

  it("refuses an unreachable PostgreSQL with OC_ERR_STORAGE_UNREACHABLE, a hint and no password", async () => {
    process.env.OC_TEST_PG_URL = `postgresql://openclaw:hunter2secret@127.0.0.1:${await closedPort()}/openclaw`;
    const redactor = new Redactor();
    const configPath = await writeConfig(postgresConfig());
    const error = await openConfiguredStorage({ configPath, stateDir: dir, redactor }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenClawError);
    const failure = error as OpenClawError;
    expect(failure.code).toBe("OC_ERR_STORAGE_UNREACHABLE");
    expect(failure.hint).toMatch(/start the gateway again/);
    expect(failure.message).not.toContain("hunter2secret");
    // The URL's value is masked in every later log line of the process.
    expect(redactor.redact("url hunter2secret")).not.toContain("hunter2secret");
  });

  it("says which secret is empty when storage.url's secret has no value", async () => {
    const configPath = await writeConfig(postgresConfig());
    await expect(
      openConfiguredStorage({ configPath, stateDir: dir, redactor: new Redactor() }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^OC_ERR_SECRET/) });
  });

  it("opens the PostgreSQL that storage.url's secret names", async () => {
    server = await startPostgres();
    process.env.OC_TEST_PG_URL = await server.createDatabase();
    const configPath = await writeConfig(postgresConfig());
    const storage = await openConfiguredStorage({ configPath, stateDir: dir, redactor: new Redactor() });
    try {
      expect(storage?.kind).toBe("postgres");
      expect(storage?.shared).toBe(true);
      expect(await storage?.reachable()).toBe(true);
    } finally {
      await storage?.close();
    }
  }, 60_000);
});
