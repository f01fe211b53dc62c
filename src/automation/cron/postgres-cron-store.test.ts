import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, PostgresDatabase } from "../../storage/postgres/index.js";
import { type PostgresServer, startPostgres } from "../../storage/postgres/testing/postgres-server.js";
import type { CronJob } from "./cron-job.js";
import { cronStoreContract } from "./cron-store-contract.js";
import { PostgresCronStore } from "./postgres-cron-store.js";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function openStore(url: string): Promise<PostgresCronStore> {
  const database = new PostgresDatabase({ url, poolSize: 4 });
  await migrate(database);
  return new PostgresCronStore(database, true);
}

cronStoreContract("postgres", async () => {
  const url = await server.createDatabase();
  return { store: await openStore(url), reopen: () => openStore(url) };
});

describe("PostgresCronStore in a cluster", () => {
  it("lets exactly one of several gateways claim a slot they all claim at once", async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    const job: CronJob = {
      id: "a",
      name: "a",
      agentId: "main",
      schedule: { kind: "every", everyMs: 1000, anchorMs: 0 },
      message: "m",
      session: { kind: "isolated" },
      missed: "skip",
      enabled: true,
      createdAtMs: 0,
      updatedAtMs: 0,
    };
    await stores[0]?.add(job);
    for (const slot of [1000, 2000, 3000]) {
      const claims = await Promise.all(
        stores.flatMap((store) =>
          [0, 1].map(() =>
            store.claimSlot("a", slot, { trigger: "schedule", startedAtMs: slot, outcome: "running" }),
          ),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
    expect((await stores[1]?.runs("a"))?.map((run) => run.slotMs)).toEqual([3000, 2000, 1000]);
    await expect(stores[2]?.add({ ...job, id: "b" })).rejects.toMatchObject({ code: "OC_ERR_BAD_REQUEST" });
    await Promise.all(stores.map((store) => store.close()));
  });
});
