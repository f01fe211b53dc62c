import { copyFile, readFile, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { OpenClawError } from "../errors.js";
import { writeFileAtomic } from "./atomic-write.js";
import { parseConfigText } from "./load.js";
import { migrateAgentsForm } from "./migrate-agents.js";
import { migrateProvidersForm } from "./migrate-providers.js";
import { migrateSecretsForm } from "./migrate-secrets.js";

export interface MigratedConfig {
  /** The file as it would be (or now is) written. */
  text: string;
  changed: boolean;
  /** What stays in the seed's form, and why. */
  notes: string[];
}

/**
 * Rewrites seed-form config text into OpenClaw's form, keeping every comment. The result is
 * parsed and must normalize to exactly the config the original did: a rewrite that would change
 * what the gateway runs is refused rather than written.
 */
export function migrateConfigText(text: string, filePath: string): MigratedConfig {
  // Parsing first makes a broken file fail with the loader's own error, line and hint; with the
  // real environment, since a credential holding an unset ${VAR} inside other text is an error.
  const before = parseConfigText(text, filePath);
  const secrets = migrateSecretsForm(migrateProvidersForm(migrateAgentsForm(text)));
  const { notes } = secrets;
  const migrated = secrets.text;
  if (migrated === text) return { text, changed: false, notes };
  let after: ReturnType<typeof parseConfigText>;
  try {
    after = parseConfigText(migrated, filePath);
  } catch (error) {
    throw new OpenClawError("OC_ERR_CONFIG_MIGRATE", "the migrated file would not load; nothing written", {
      hint: "report this with the file; meanwhile the seed form keeps working as it is",
      cause: error,
    });
  }
  if (!isDeepStrictEqual(secretsResolved(before.config), secretsResolved(after.config))) {
    throw new OpenClawError(
      "OC_ERR_CONFIG_MIGRATE",
      "the migrated file would load to a different config; nothing written",
      { hint: "report this with the file; meanwhile the seed form keeps working as it is" },
    );
  }
  return { text: migrated, changed: true, notes };
}

/**
 * The config with every `{ $secret }` reference replaced by what it reads. SecretRefs load under
 * names of the loader's choosing (`env.KEY`, `<provider>.<id>`), so a migrated file names its
 * secrets differently while reading the very same ones: that is what must not change.
 */
function secretsResolved(config: ReturnType<typeof parseConfigText>["config"]): unknown {
  const declared = config.externalSecrets as Record<string, unknown>;
  const referenced = new Set<string>();
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== "object" || value === null) return value;
    const name = (value as { $secret?: unknown }).$secret;
    if (typeof name === "string" && Object.keys(value).length === 1) {
      referenced.add(name);
      return { readsSecret: sameReading(declared[name]) };
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
  };
  const { externalSecrets: _declared, secrets: _providers, ...rest } = config;
  const resolved = resolve(rest) as Record<string, unknown>;
  const unreferenced = Object.fromEntries(Object.entries(declared).filter(([name]) => !referenced.has(name)));
  return { ...resolved, unreferencedSecrets: unreferenced };
}

/** Migrates the file in place when `write` is set, keeping the original as `<file>.bak`. */
export async function migrateConfigFile(filePath: string, write: boolean): Promise<MigratedConfig> {
  // A symlinked config is migrated where it points, like `config set` edits it.
  const path = await realpath(resolve(filePath)).catch(() => resolve(filePath));
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new OpenClawError("OC_ERR_CONFIG_READ", `cannot read config file ${path}`, {
      hint: "pass the file with --config, or create one with `openclaw onboard`",
      cause: error,
    });
  }
  const result = migrateConfigText(text, path);
  if (write && result.changed) {
    const { mode } = await stat(path);
    await copyFile(path, `${path}.bak`);
    await writeFileAtomic(path, result.text, mode & 0o777);
  }
  return result;
}

/** A declaration with the defaults its reader applies written out: `jsonOnly` true, no `passEnv` []. */
function sameReading(declaration: unknown): unknown {
  if (typeof declaration !== "object" || declaration === null) return declaration;
  const { passEnv, json, ...rest } = declaration as Record<string, unknown>;
  return {
    ...rest,
    ...(Array.isArray(passEnv) && passEnv.length > 0 ? { passEnv } : {}),
    ...(typeof json === "object" && json !== null
      ? { json: { jsonOnly: true, ...(json as Record<string, unknown>) } }
      : {}),
  };
}
