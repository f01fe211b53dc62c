import { formatConfigPath } from "../config/config-path.js";
import { plaintextCredentialPaths } from "../config/plaintext-credentials.js";
import type { OpenClawConfig } from "../config/schema.js";

/** Dotted paths of the credential fields that hold plain strings (see plaintextCredentialPaths). */
export function findPlaintextCredentials(config: OpenClawConfig): string[] {
  return plaintextCredentialPaths(config).map((path) => formatConfigPath(path));
}
