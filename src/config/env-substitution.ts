import type { z } from "zod";
import { type ConfigPathSegment, isPlainObject } from "./config-path.js";
import { CredentialSchema } from "./schema/credentials.js";
import { DESCEND, mapAlongSchema } from "./schema-walk.js";
import { unwrap } from "./suggest.js";

type Schema = z.core.$ZodType;

/** OpenClaw's rule: only upper-case names are references; `$${NAME}` is a literal `${NAME}`. */
const REFERENCE = /\$(\$?)\{([A-Z_][A-Z0-9_]*)\}/g;
const WHOLE_REFERENCE = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;

/** The externalSecrets name an `${NAME}` credential becomes. */
export const envSecretName = (variable: string) => `env.${variable}`;

export interface UnresolvedVariable {
  path: ConfigPathSegment[];
  variable: string;
  /** A credential cannot be left as written: its literal text would become a guessable secret. */
  credential: boolean;
}

export interface SubstitutedConfig {
  value: unknown;
  unresolved: UnresolvedVariable[];
}

function isCredentialPosition(schemas: readonly Schema[]): boolean {
  return schemas.some((schema) => unwrap(schema) === CredentialSchema);
}

function substituteString(
  text: string,
  path: ConfigPathSegment[],
  credential: boolean,
  env: NodeJS.ProcessEnv,
  unresolved: UnresolvedVariable[],
): string {
  return text.replace(REFERENCE, (reference, escaped: string, variable: string) => {
    if (escaped) return reference.slice(1);
    const value = env[variable];
    if (value) return value;
    // OpenClaw keeps a missing variable visibly unresolved (and warns) rather than blanking it.
    unresolved.push({ path, variable, credential });
    return reference;
  });
}

/**
 * `${NAME}` in config strings, from the gateway's environment. A credential that is exactly one
 * reference becomes a reference to an env secret (declared in externalSecrets as `env.NAME`)
 * rather than its value: the file then holds no secret, so production mode accepts it, and the
 * value is read, redacted and audited like any other secret, and fails like one when unset.
 */
export function substituteEnvVariables(
  schema: Schema,
  value: unknown,
  env: NodeJS.ProcessEnv,
): SubstitutedConfig {
  const unresolved: UnresolvedVariable[] = [];
  const secrets: Record<string, { source: "env"; key: string }> = {};
  const substituted = mapAlongSchema(schema, value, (schemas, item, path) => {
    if (typeof item !== "string") return DESCEND;
    const credential = isCredentialPosition(schemas);
    const whole = credential ? WHOLE_REFERENCE.exec(item) : null;
    if (whole?.[1]) {
      secrets[envSecretName(whole[1])] = { source: "env", key: whole[1] };
      return { $secret: envSecretName(whole[1]) };
    }
    return substituteString(item, path, credential, env, unresolved);
  });
  if (Object.keys(secrets).length === 0 || !isPlainObject(substituted))
    return { value: substituted, unresolved };
  // The user's own declaration of the same name wins; the schema then checks it like any other.
  const declared = isPlainObject(substituted.externalSecrets) ? substituted.externalSecrets : {};
  return { value: { ...substituted, externalSecrets: { ...secrets, ...declared } }, unresolved };
}
