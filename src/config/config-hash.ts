import { createHash } from "node:crypto";

/**
 * The sha256 (hex) a config file's bytes are known by (`config.get`, `config apply --hash`). Apart
 * from load.ts so that what only hashes the file (the watcher, the validated-config cache, status)
 * does not import the loader, and with it the config schema.
 */
export function configHashOf(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
