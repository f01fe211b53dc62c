import type { ConfigPathSegment } from "./config-path.js";
import { isCredentialKey } from "./redact.js";

/**
 * Where a config holds a credential as a plain string rather than a `{ "$secret": name }`
 * reference: refused in production mode, warned about in development. `externalSecrets` is
 * skipped: it says where values come from and holds none.
 */
export function plaintextCredentialPaths(config: unknown): ConfigPathSegment[][] {
  const found: ConfigPathSegment[][] = [];
  const walk = (value: unknown, path: ConfigPathSegment[], credential: boolean): void => {
    if (typeof value === "string") {
      if (credential && value.length > 0) found.push(path);
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, [...path, index], credential);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (path.length === 0 && key === "externalSecrets") continue;
      walk(inner, [...path, key], isCredentialKey(key));
    }
  };
  walk(config, [], false);
  return found;
}
