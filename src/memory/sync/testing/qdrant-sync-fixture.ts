import { QdrantClient } from "@qdrant/js-client-rest";
import { pino } from "pino";
import { afterEach, vi } from "vitest";
import { QdrantSync } from "../qdrant-sync.js";
import type { QdrantSyncOptions } from "../qdrant-sync-options.js";
import { FakeQdrantServer, type FakeQdrantServerOptions } from "./fake-qdrant-server.js";
import { InMemoryOutbox } from "./in-memory-outbox.js";

/*
 * A QdrantSync of agent "main" against a fake Qdrant and an in-memory outbox, with back-off
 * and kick delays short enough for tests; everything started is stopped after each test.
 */

export const COLLECTION = "memories";
export const DIMENSIONS = 4;
export const API_KEY = "qdrant-key-5f1d2c";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A distinct, non-zero vector per memory number. */
export const vectorFor = (index: number) => [1, (index % 7) + 1, (index % 3) - 1, index / 10];

export function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

export async function setup(
  options: { server?: FakeQdrantServerOptions; apiKey?: string; sync?: Partial<QdrantSyncOptions> } = {},
) {
  const server = new FakeQdrantServer(options.server ?? {});
  cleanups.push(() => server.close());
  const { url } = await server.start();
  const apiKey = options.apiKey ?? options.server?.apiKey;
  // The client warns about an API key over plain http; the fake only speaks http.
  if (apiKey) vi.spyOn(console, "warn").mockImplementation(() => {});
  const client = new QdrantClient({ url, checkCompatibility: false, ...(apiKey ? { apiKey } : {}) });
  const outbox = new InMemoryOutbox();
  const { logger, lines } = captureLogger();
  const makeSync = (overrides: Partial<QdrantSyncOptions> = {}) => {
    const sync = new QdrantSync({
      agentId: "main",
      outbox,
      client,
      collection: COLLECTION,
      dimensions: DIMENSIONS,
      logger,
      minBackoffMs: 5,
      maxBackoffMs: 40,
      kickDelayMs: 1,
      ...options.sync,
      ...overrides,
    });
    cleanups.push(() => sync.stop());
    return sync;
  };
  return { server, client, outbox, sync: makeSync(), makeSync, lines, url };
}

export function writeMany(outbox: InMemoryOutbox, count: number, kick?: () => void): string[] {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `m${String(index).padStart(3, "0")}`;
    outbox.write({
      id,
      text: `memory ${index}`,
      tags: index % 2 ? ["odd"] : ["even"],
      vector: vectorFor(index),
    });
    ids.push(id);
    kick?.();
  }
  return ids;
}
