import { isPlainObject, parseConfigPath } from "./config-path.js";

export const REDACTED = "[redacted]";

const CREDENTIAL_NAMES = new Set([
  "apikey",
  "api-key",
  "api_key",
  "token",
  "password",
  "passphrase",
  "secret",
  "authorization",
  "cookie",
  "credential",
  "credentials",
]);
const CAMEL_SUFFIX = /[a-z0-9](Key|Token|Password|Secret|Credentials?|Authorization)$/;
const SEPARATED_SUFFIX = /[-_](key|token|password|secret|credentials?|authorization|auth)$/i;

/**
 * Whether a field holds a credential: apiKey, token, password, anything ending in
 * Key/Token/Password/Secret (`clientSecret`, `x-api-key`), and the Authorization and Cookie
 * headers. `key` alone is not one: in an `env` external secret it names a variable.
 */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_NAMES.has(key.toLowerCase()) || CAMEL_SUFFIX.test(key) || SEPARATED_SUFFIX.test(key);
}

/**
 * Whether the string at `path` may hold a credential whatever its name. Names cannot be
 * trusted for maps whose keys the user chooses: any HTTP header can carry one
 * (`Proxy-Authorization`, `X-Custom-Token`, a vendor's `X-Goog-Api-Key`), and any variable of a
 * sandbox's environment can be a key.
 */
function isCredentialPosition(path: readonly string[]): boolean {
  const parent = path.at(-2);
  if (parent === "headers") return true;
  return parent === "env" && path.at(-3) === "docker";
}

export interface RedactionOptions {
  /**
   * Readers without operator.admin: also hide where external secrets come from (file paths,
   * exec argv, variable names), as `status` does for them; only each secret's source kind shows.
   */
  hideSecretSources?: boolean;
}

/**
 * `inherited` carries a credential name into the items of an array (`apiKeys: [...]`), not into
 * objects: `externalSecrets["claude-api-key"]` declares where a secret is, and its fields are
 * judged by their own names.
 */
function redact(value: unknown, path: string[], inherited: boolean, options: RedactionOptions): unknown {
  const isCredential = inherited || (path.length > 0 && isCredentialKey(path.at(-1) as string));
  if (typeof value === "string") return isCredential || isCredentialPosition(path) ? REDACTED : value;
  if (Array.isArray(value))
    return value.map((item, index) => redact(item, [...path, String(index)], isCredential, options));
  if (!isPlainObject(value)) return value;
  // A `{ "$secret": name }` reference is safe to show: it names a secret, it is not one.
  if (Object.keys(value).length === 1 && typeof value.$secret === "string") return { ...value };
  if (options.hideSecretSources && path.length === 2 && path[0] === "externalSecrets") {
    return { source: value.source };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: redact(inner, [...path, key], false, options),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function segmentsOf(path: string): string[] {
  if (path === "") return [];
  try {
    return parseConfigPath(path).map(String);
  } catch {
    // An unparsable path names nothing printable; treat the value as sensitive.
    return ["secret"];
  }
}

/**
 * A copy of `value` (found at the dotted `path`, "" for the whole config) with plaintext
 * credential strings replaced by "[redacted]", for printing and logging.
 */
export function redactCredentials(value: unknown, path: string, options: RedactionOptions = {}): unknown {
  return redact(value, segmentsOf(path), false, options);
}
