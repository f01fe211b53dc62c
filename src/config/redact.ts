import { isPlainObject } from "./config-path.js";

export const REDACTED = "[redacted]";

const CREDENTIAL_NAMES = new Set([
  "apikey",
  "api-key",
  "api_key",
  "token",
  "password",
  "secret",
  "authorization",
  "cookie",
]);
const CAMEL_SUFFIX = /[a-z0-9](Key|Token|Password|Secret)$/;
const SEPARATED_SUFFIX = /[-_](key|token|password|secret)$/i;

/**
 * Whether a field holds a credential: apiKey, token, password, anything ending in
 * Key/Token/Password/Secret (`clientSecret`, `x-api-key`), and the Authorization and Cookie
 * headers. `key` alone is not one: in an `env` external secret it names a variable.
 */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_NAMES.has(key.toLowerCase()) || CAMEL_SUFFIX.test(key) || SEPARATED_SUFFIX.test(key);
}

function lastSegment(path: string): string {
  const match = /(?:^|\.)([^.[\]]+)$|\["((?:[^"\\]|\\.)*)"\]$/.exec(path);
  return match?.[1] ?? match?.[2] ?? "";
}

function redact(value: unknown, isCredential: boolean): unknown {
  if (typeof value === "string") return isCredential ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, isCredential));
  if (!isPlainObject(value)) return value;
  // A `{ "$secret": name }` reference is safe to show: it names a secret, it is not one.
  if (Object.keys(value).length === 1 && typeof value.$secret === "string") return { ...value };
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: redact(inner, isCredentialKey(key)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * A copy of `value` (found at the dotted `path`, "" for the whole config) with plaintext
 * credential strings replaced by "[redacted]", for printing and logging.
 */
export function redactCredentials(value: unknown, path: string): unknown {
  return redact(value, path !== "" && isCredentialKey(lastSegment(path)));
}
