import { afterAll, beforeAll } from "vitest";
import { describeStorageContract } from "../contract/index.js";
import { createPostgresStorage } from "./postgres-storage.js";
import { type PostgresServer, startPostgres } from "./testing/postgres-server.js";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describeStorageContract({
  name: "postgres",
  shared: true,
  damageable: false,
  createPlace: async () => {
    const url = await server.createDatabase();
    return {
      open: (options) => createPostgresStorage({ url, poolSize: 4, ...options }),
      dispose: async () => undefined,
    };
  },
  interruptConnections: () => server.interruptConnections(),
});
