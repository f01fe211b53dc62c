import { dirname } from "node:path";
import type { LoadedConfig } from "../config/index.js";
import { loadConfigFileCached } from "../config/validated-cache.js";
import { OpenClawError } from "../errors.js";
import { type Redactor, readSecretSource } from "../secrets/index.js";
import { openStorage, type Storage } from "../storage/index.js";

export interface ConfiguredStorageOptions {
  configPath: string;
  stateDir: string;
  /** The gateway's redactor: the URL's value (it holds the password) is masked from here on. */
  redactor: Redactor;
  /** The config, when the caller loaded it (undefined: it did not load); read from the file if absent. */
  loaded?: LoadedConfig | undefined;
}

/**
 * The storage a gateway process's config asks for, opened before the Gateway is built: opening
 * PostgreSQL is async (connect, migrate) and the Gateway's constructor builds its stores on it.
 * Undefined for "sqlite" (the Gateway opens its state dir itself) and when the config cannot be
 * read: the gateway's own load then reports what is wrong, with its paths and lines.
 *
 * Only storage.url's secret is read here, from its externalSecrets declaration: the gateway's
 * SecretStore loads every secret later (and watches, rotates); reading all of them twice would
 * run every exec source twice at start.
 */
export async function openConfiguredStorage(options: ConfiguredStorageOptions): Promise<Storage | undefined> {
  const loaded =
    "loaded" in options
      ? options.loaded
      : await loadConfigFileCached(options.configPath, options.stateDir).catch(() => undefined);
  const config = loaded?.config;
  if (config?.storage.kind !== "postgres") return undefined;
  const url = config.storage.url;
  const secret = url !== undefined && typeof url !== "string" ? url.$secret : undefined;
  const declaration = secret !== undefined ? config.externalSecrets[secret] : undefined;
  const value =
    secret !== undefined && declaration !== undefined
      ? await readSecretSource(secret, declaration, {
          configDir: dirname(loaded?.path ?? options.configPath),
        })
      : undefined;
  if (value !== undefined) maskUrl(options.redactor, value);
  try {
    return await openStorage({
      config: config.storage,
      stateDir: options.stateDir,
      readSecret: (name) => (name === secret ? value : undefined),
    });
  } catch (error) {
    if (!(error instanceof OpenClawError) || error.code !== "OC_ERR_STORAGE_UNREACHABLE") throw error;
    // At start nothing retries: the process exits, so the hint says what to fix, then start again.
    throw new OpenClawError("OC_ERR_STORAGE_UNREACHABLE", options.redactor.redact(error.message), {
      hint: "check that PostgreSQL runs and that storage.url's secret names it (host, port, database, user, password), then start the gateway again",
      details: { path: "storage.url" },
      cause: error,
    });
  }
}

/** The whole URL and its password alone: a driver's message may quote either. */
function maskUrl(redactor: Redactor, url: string): void {
  redactor.add(url);
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password !== "") redactor.add(password);
  } catch {
    // Not a URL: the driver refuses it and its message is masked by the whole value.
  }
}
