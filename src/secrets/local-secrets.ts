import { dirname } from "node:path";
import type { OpenClawConfig } from "../config/index.js";
import { Redactor } from "./redactor.js";
import { SecretStore } from "./secret-store.js";

// What a one-look store reports goes nowhere. Not pino's silent logger: `secrets list`, `doctor`
// and the other commands that come here would load pino for it (≈ 20 ms of each run).
const QUIET = { info() {}, warn() {}, error() {} };

/**
 * The config's secrets read here and now, as the gateway would at start-up (no watching), for
 * one look by a command or a check; the store is closed afterwards.
 */
export async function withLocalSecrets<T>(
  config: OpenClawConfig,
  configPath: string,
  use: (store: SecretStore) => T | Promise<T>,
): Promise<T> {
  const store = new SecretStore({
    logger: QUIET,
    redactor: new Redactor(),
    configDir: dirname(configPath),
    watchFiles: false,
  });
  try {
    await store.load(config.externalSecrets);
    return await use(store);
  } finally {
    store.close();
  }
}
