import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import type { PendingIssue } from "./config-issues.js";
import { isPlainObject } from "./config-path.js";
import { CredentialSchema } from "./schema/credentials.js";
import { SecretProviderSchema, unsupportedSecretProvider } from "./schema/secrets.js";
import { DESCEND, mapAlongSchema } from "./schema-walk.js";
import { unwrap } from "./suggest.js";

type Schema = z.core.$ZodType;
type Provider = z.output<typeof SecretProviderSchema>;
type Declaration = Record<string, unknown> & { source: string };

const ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;
const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;

export interface PlacedSecretRefs {
  value: unknown;
  issues: PendingIssue[];
  /** Providers declared in a form this gateway cannot resolve through: loaded, said, never used. */
  warnings: PendingIssue[];
}

function isSecretRef(value: unknown): value is { source: string; provider: string; id: string } {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value).sort();
  return (
    keys.join(",") === "id,provider,source" &&
    ["env", "file", "exec"].includes(value.source as string) &&
    typeof value.provider === "string" &&
    typeof value.id === "string"
  );
}

/** The providers as declared; an invalid one is left for the schema to report, and resolves nothing. */
function declaredProviders(config: Record<string, unknown>): {
  providers: Map<string, Provider>;
  envDefault: string;
} {
  const secrets = isPlainObject(config.secrets) ? config.secrets : {};
  const providers = new Map<string, Provider>();
  for (const [alias, declaration] of Object.entries(
    isPlainObject(secrets.providers) ? secrets.providers : {},
  )) {
    const parsed = SecretProviderSchema.safeParse(declaration);
    if (parsed.success) providers.set(alias, parsed.data);
  }
  const defaults = isPlainObject(secrets.defaults) ? secrets.defaults : {};
  return { providers, envDefault: typeof defaults.env === "string" ? defaults.env : "default" };
}

/**
 * What one ref means in this gateway's terms: an externalSecrets declaration (env, file with a
 * JSON pointer, exec speaking protocol v1) and the name it is declared under. OpenClaw's rules:
 * env refs need no provider entry when they name the env default alias; file and exec refs do.
 */
function declarationOf(
  ref: { source: string; provider: string; id: string },
  providers: Map<string, Provider>,
  envDefault: string,
): { name: string; declaration: Declaration } | string {
  const provider = providers.get(ref.provider);
  const where = `secrets.providers.${ref.provider}`;
  const unsupported = provider ? unsupportedSecretProvider(provider) : undefined;
  if (unsupported) return `${where} uses ${unsupported}, which this gateway does not support`;
  if (provider && provider.source !== ref.source && !(ref.source === "env" && ref.provider === envDefault))
    return `${where} is ${provider.source === "exec" ? "an" : "a"} ${provider.source} provider, but this ref's source is "${ref.source}"`;
  if (ref.source === "env") {
    if (!ENV_ID.test(ref.id))
      return `env ref id "${ref.id}" must be an upper-case variable name (A-Z, 0-9, _)`;
    if (provider?.source === "env" && provider.allowlist && !provider.allowlist.includes(ref.id))
      return `"${ref.id}" is not in ${where}.allowlist`;
    if (!provider && ref.provider !== envDefault)
      return `no provider "${ref.provider}" in secrets.providers (env refs without one use "${envDefault}")`;
    return { name: `env.${ref.id}`, declaration: { source: "env", key: ref.id } };
  }
  if (!provider)
    return `no provider "${ref.provider}" in secrets.providers; declare it with source "${ref.source}"`;
  const name = `${ref.provider}.${ref.id.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^[^A-Za-z0-9]+/, "")}`;
  if (provider.source === "file") {
    if (provider.mode === "singleValue") {
      if (ref.id !== "value") return `${where} is a singleValue file: the ref's id must be "value"`;
      return { name, declaration: { source: "file", path: provider.path } };
    }
    if (!ref.id.startsWith("/")) return `file ref id "${ref.id}" must be an absolute JSON pointer ("/...")`;
    return { name, declaration: { source: "file", path: provider.path, pointer: ref.id } };
  }
  if (provider.source === "exec") {
    const segments = ref.id.split("/");
    if (!EXEC_ID.test(ref.id) || segments.includes(".") || segments.includes(".."))
      return `exec ref id "${ref.id}" must be letters, digits and ._:/#- without . or .. segments`;
    return {
      name,
      declaration: {
        source: "exec",
        command: [provider.command, ...provider.args],
        ...(provider.timeoutMs !== undefined ? { timeoutMs: provider.timeoutMs } : {}),
        ...(provider.passEnv.length > 0 ? { passEnv: provider.passEnv } : {}),
        json: { provider: ref.provider, id: ref.id, jsonOnly: provider.jsonOnly },
      },
    };
  }
  return `${where} cannot serve a ${ref.source} ref`;
}

/**
 * Turns OpenClaw SecretRefs in credential fields into `{ $secret }` references to externalSecrets
 * entries declared here, so that the one secret path the gateway has (store, redaction, audit,
 * rotation) serves them too. A name already declared by the user for something else is not
 * reused: the ref gets a name of its own rather than the user's secret.
 */
export function placeSecretRefs(schema: Schema, value: unknown): PlacedSecretRefs {
  if (!isPlainObject(value)) return { value, issues: [], warnings: [] };
  const { providers, envDefault } = declaredProviders(value);
  const warnings: PendingIssue[] = [];
  for (const [alias, provider] of providers) {
    const unsupported = unsupportedSecretProvider(provider);
    if (unsupported)
      warnings.push({
        path: ["secrets", "providers", alias],
        message: `OpenClaw secret provider using ${unsupported}: not supported here; refs to it are refused`,
      });
  }
  const userDeclared = isPlainObject(value.externalSecrets) ? value.externalSecrets : {};
  const declared: Record<string, Declaration> = {};
  const issues: PendingIssue[] = [];
  const nameFor = (base: string, declaration: Declaration): string => {
    for (let suffix = 1; ; suffix += 1) {
      const name = suffix === 1 ? base : `${base}-${suffix}`;
      const existing = declared[name] ?? userDeclared[name];
      if (existing === undefined || isDeepStrictEqual(existing, declaration)) return name;
    }
  };
  const walked = mapAlongSchema(schema, value, (schemas, item, path) => {
    if (!isSecretRef(item) || !schemas.some((candidate) => unwrap(candidate) === CredentialSchema))
      return DESCEND;
    const placed = declarationOf(item, providers, envDefault);
    if (typeof placed === "string") {
      issues.push({ path, message: placed });
      return item;
    }
    const name = nameFor(placed.name, placed.declaration);
    if (userDeclared[name] === undefined) declared[name] = placed.declaration;
    return { $secret: name };
  }) as Record<string, unknown>;
  if (Object.keys(declared).length === 0) return { value: walked, issues, warnings };
  return { value: { ...walked, externalSecrets: { ...declared, ...userDeclared } }, issues, warnings };
}
