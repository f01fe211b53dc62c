import type { StorageConfig } from "../config/schema/storage.js";
import { OpenClawError } from "../errors.js";
import { createFileStorage, type FileStorageOptions } from "./files/index.js";
import type { Storage } from "./storage.js";

export interface OpenStorageOptions {
  /** The config's `storage` section (kind "sqlite" when absent). */
  config?: Partial<StorageConfig>;
  stateDir: string;
  /** For the state dir's backend ("sqlite"): health, repairs, the clock. */
  files?: FileStorageOptions;
  /** The gateway's resolved secrets (externalSecrets by name): where storage.url's `$secret` is read. */
  readSecret(name: string): string | undefined;
  /** Names this gateway in cluster events (ReplicaIdentity.id). */
  replicaId?: string;
}

/**
 * The gateway's storage as configured: "sqlite" is the state dir's files backend (its channel,
 * cron and memory state are SQLite files), "postgres" the database several gateways share. The
 * URL is read from a secret only; a literal one is accepted when it holds no password (the
 * schema refuses one that does).
 */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const config = options.config ?? {};
  if ((config.kind ?? "sqlite") === "sqlite") return createFileStorage(options.stateDir, options.files ?? {});
  const url = resolveUrl(config.url, options.readSecret);
  const now = options.files?.now;
  // Loaded only for a cluster: a single gateway never pays for pg at start.
  const { createPostgresStorage } = await import("./postgres/index.js");
  return createPostgresStorage({
    url,
    ...(config.poolSize !== undefined ? { poolSize: config.poolSize } : {}),
    ...(now ? { now } : {}),
    ...(options.files?.maxIdempotencyKeys !== undefined
      ? { maxIdempotencyKeys: options.files.maxIdempotencyKeys }
      : {}),
    ...(options.files?.maxPendingNodes !== undefined
      ? { maxPendingNodes: options.files.maxPendingNodes }
      : {}),
    ...(options.replicaId !== undefined ? { replicaId: options.replicaId } : {}),
  });
}

function resolveUrl(url: StorageConfig["url"], readSecret: (name: string) => string | undefined): string {
  if (url === undefined) {
    throw new OpenClawError("OC_ERR_CONFIG_INVALID", 'storage.kind "postgres" needs storage.url', {
      hint: 'declare the URL in externalSecrets and set storage.url to { "$secret": "<name>" }',
      details: { path: "storage.url" },
    });
  }
  if (typeof url === "string") return url;
  const value = readSecret(url.$secret);
  if (value === undefined || value === "") {
    throw new OpenClawError(
      "OC_ERR_SECRET_UNAVAILABLE",
      `secret "${url.$secret}" (storage.url) has no value`,
      {
        hint: "check the externalSecrets entry it names: its variable, file or command must give the PostgreSQL URL",
        details: { path: "storage.url", secret: url.$secret },
      },
    );
  }
  return value;
}
