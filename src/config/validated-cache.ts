import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "./atomic-write.js";
import { configHashOf } from "./config-hash.js";
import type { LoadedConfig } from "./load.js";
import { redactCredentials } from "./redact.js";

/**
 * Importing zod and building the config schema costs ≈ 100 ms, most of what a read-only command
 * (`config get`, `gateway token`, `status`) takes. Its answer only depends on the file's bytes, the loader's
 * code and the environment variables the file references, so the validated result is kept in the
 * state dir under a key made of those: a later command with the same key reads it back instead.
 * Only a success is kept: an invalid file always takes the full path and fails exactly as before.
 * A kill during the write can leave the atomic write's temporary file beside it, never a torn one.
 */
const CACHE_FILE_NAME = "validated-config.json";
const FORMAT = "openclaw-validated-config/1";

/** The env-substitution syntax of env-substitution.ts: its references, escaped ones included. */
const REFERENCE = /\$(\$?)\{([A-Z_][A-Z0-9_]*)\}/g;

interface CacheEntry {
  format: typeof FORMAT;
  key: string;
  exists: boolean;
  config: LoadedConfig["config"];
  raw: unknown;
  warnings: LoadedConfig["warnings"];
}

export function validatedConfigCachePath(stateDir: string): string {
  return join(stateDir, CACHE_FILE_NAME);
}

let loaderFingerprint: string | undefined;

function statOf(url: URL): { size: bigint; mtimeNs: bigint } | undefined {
  try {
    return statSync(url, { bigint: true });
  } catch {
    return undefined;
  }
}

function contentOf(url: URL): Buffer | undefined {
  try {
    return readFileSync(url);
  } catch {
    return undefined;
  }
}

/**
 * What the loader's answer depends on besides the file: the code of this folder (schema, loader)
 * and of zod and json5. Stating or hashing each of the folder's ~60 files costs more than a
 * command can spare (≈ 5-15 ms), so a cheaper witness stands for them where there is one:
 * - a build (`tsc -p tsconfig.build.json`, incremental) rewrites dist/.tsbuildinfo whenever an
 *   output changes, so its size and mtime cover every file of dist/;
 * - an installed package (under node_modules, no .tsbuildinfo: it is not published) changes its
 *   files only with its version, which package.json gives;
 * - anything else (sources run by vitest) has the folder's files stated one by one.
 * The dependencies' package.json (in this package's node_modules or beside it, as npm hoists
 * them) give their versions.
 */
function loaderCodeFingerprint(): string {
  if (loaderFingerprint) return loaderFingerprint;
  const hash = createHash("sha256");
  hash.update(contentOf(new URL("../../package.json", import.meta.url)) ?? "no package.json");
  const build = statOf(new URL("../.tsbuildinfo", import.meta.url));
  const here = fileURLToPath(new URL(".", import.meta.url));
  if (build) hash.update(`build ${build.size} ${build.mtimeNs}\n`);
  else if (!here.includes(`${sep}node_modules${sep}`)) {
    for (const name of readdirSync(here, { recursive: true, encoding: "utf8" }).sort()) {
      if (!/\.(js|ts)$/.test(name) || /\.test\.(js|ts)$/.test(name)) continue;
      const stats = statSync(join(here, name), { bigint: true });
      hash.update(`${name}\0${stats.size}\0${stats.mtimeNs}\n`);
    }
  }
  for (const dependency of ["zod", "json5"]) {
    const manifest =
      contentOf(new URL(`../../node_modules/${dependency}/package.json`, import.meta.url)) ??
      contentOf(new URL(`../../../${dependency}/package.json`, import.meta.url));
    // Installed some other way: where it resolves to, at least.
    hash.update(manifest ?? import.meta.resolve(dependency));
    hash.update("\0");
  }
  loaderFingerprint = hash.digest("hex");
  return loaderFingerprint;
}

/** The values of the variables `text` references (escaped or not: a superset is only stricter). */
function referencedEnvironment(text: string, env: NodeJS.ProcessEnv): string {
  const names = [...new Set(Array.from(text.matchAll(REFERENCE), (match) => match[2] as string))].sort();
  return JSON.stringify(names.map((name) => [name, env[name] ?? null]));
}

function cacheKey(path: string, bytes: Buffer | undefined, hash: string | undefined, env: NodeJS.ProcessEnv) {
  return createHash("sha256")
    .update(loaderCodeFingerprint())
    .update("\0")
    .update(path)
    .update("\0")
    .update(hash ?? "missing")
    .update("\0")
    .update(bytes ? referencedEnvironment(bytes.toString("utf8"), env) : "")
    .digest("hex");
}

/** The entry stored under `key`, or undefined for a missing, empty, torn, foreign or other key's file. */
function readEntry(cachePath: string, key: string): CacheEntry | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(cachePath, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof entry !== "object" || entry === null) return undefined;
  const candidate = entry as Partial<CacheEntry>;
  if (candidate.format !== FORMAT || candidate.key !== key) return undefined;
  if (typeof candidate.exists !== "boolean" || !Array.isArray(candidate.warnings)) return undefined;
  if (typeof candidate.config !== "object" || candidate.config === null) return undefined;
  return candidate as CacheEntry;
}

/**
 * Whether `loaded` may be stored: JSON must give it back unchanged (no Infinity, undefined or
 * class instance lost on the way), and it must hold no credential, since the cache would be one
 * more copy of it on disk, outliving its removal from the file (and, from `${NAME}`, a copy of
 * what was only in the environment).
 */
async function storable(entry: CacheEntry): Promise<boolean> {
  // Only a miss gets here: node:util loads ≈ 20 internal modules a hit does without.
  const { isDeepStrictEqual } = await import("node:util");
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(entry)), entry)) return false;
  return isDeepStrictEqual(redactCredentials(entry.config, ""), entry.config);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function writeEntry(cachePath: string, entry: CacheEntry): Promise<void> {
  try {
    if (!(await storable(entry))) return;
    await writeFileAtomic(cachePath, JSON.stringify(entry));
  } catch {
    // A full disk or a read-only state dir costs the next command the full load, nothing more.
  }
}

/**
 * `loadConfigFile`, answered from the state dir's cache when the same file was validated by the
 * same code in the same environment before. Errors are the full loader's own: a file that cannot
 * be read or does not validate is never answered from the cache.
 */
export async function loadConfigFileCached(
  filePath: string,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedConfig> {
  const path = resolve(filePath);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return (await import("./load.js")).loadConfigFile(path);
    }
  }
  const cachePath = validatedConfigCachePath(stateDir);
  const hash = bytes ? configHashOf(bytes) : undefined;
  let key: string | undefined;
  try {
    key = cacheKey(path, bytes, hash, env);
  } catch {
    // A file of the loader that cannot be listed or stat'ed: no key, so no cache.
  }
  const cached = key ? readEntry(cachePath, key) : undefined;
  if (cached) {
    return {
      config: cached.config,
      path,
      exists: cached.exists,
      raw: cached.exists ? cached.raw : undefined,
      warnings: cached.warnings,
      ...(hash ? { hash } : {}),
    };
  }
  const { defaultConfig, parseConfigBytes } = await import("./load.js");
  const loaded: LoadedConfig = bytes
    ? parseConfigBytes(bytes, path, env)
    : { config: defaultConfig(), path, exists: false, raw: undefined, warnings: [] };
  // Only into a state dir that exists: a read-only command does not create one.
  if (key && isDirectory(stateDir)) {
    await writeEntry(cachePath, {
      format: FORMAT,
      key,
      exists: loaded.exists,
      config: loaded.config,
      raw: loaded.raw ?? null,
      warnings: loaded.warnings,
    });
  }
  return loaded;
}
