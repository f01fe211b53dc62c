import { formatConfigPath } from "../config/config-path.js";
import type { OpenClawConfig } from "../config/schema.js";

/**
 * Which credential uses which external secret: explicitly, through `{ "$secret": name }`, or
 * implicitly, through a name like `claude-api-key` when the provider has no apiKey at all.
 */

export type SecretProvider = "anthropic" | "openai";

export interface SecretReference {
  /** Config path of the credential, e.g. `models.providers.anthropic.apiKey`. */
  path: string;
  secret: string;
}

export interface SecretBinding {
  secret: string;
  path: string;
  reason: "reference" | "name";
  provider?: string;
}

/** Two or more declared names imply the same provider: none of them is bound by name. */
export interface AmbiguousNameBinding {
  provider: SecretProvider;
  path: string;
  secrets: string[];
}

const NAME_PATTERNS: readonly {
  provider: SecretProvider;
  pattern: RegExp;
  prefix: (name: string) => string;
}[] = [
  {
    provider: "anthropic",
    pattern: /^(claude|anthropic)-(.+-)?key$/,
    prefix: (name) => name.split("-")[0] ?? "",
  },
  { provider: "openai", pattern: /^openai-(.+-)?key$/, prefix: () => "openai" },
];

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function referencedName(value: unknown): string | undefined {
  if (!isPlainRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "$secret" && typeof value.$secret === "string"
    ? value.$secret
    : undefined;
}

type PathSegments = (string | number)[];

function collectReferences(config: OpenClawConfig): { segments: PathSegments; secret: string }[] {
  const found: { segments: PathSegments; secret: string }[] = [];
  const walk = (value: unknown, segments: PathSegments): void => {
    const secret = referencedName(value);
    if (secret !== undefined) found.push({ segments, secret });
    else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, [...segments, index]);
    } else if (isPlainRecord(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...segments, key]);
    }
  };
  walk(config, []);
  return found;
}

/** Every `{ "$secret": name }` in the config, with the dotted path of the field holding it. */
export function findSecretReferences(config: OpenClawConfig): SecretReference[] {
  return collectReferences(config).map(({ segments, secret }) => ({
    path: formatConfigPath(segments),
    secret,
  }));
}

/**
 * The provider a secret's name implies: `claude-*-key` or `anthropic-*-key` → anthropic,
 * `openai-*-key` → openai (`claude-key`, `claude-api-key`, `openai-api-key`, `claude-opus-key`).
 */
export function providerForSecretName(name: string): SecretProvider | undefined {
  const lower = name.toLowerCase();
  return NAME_PATTERNS.find((entry) => entry.pattern.test(lower))?.provider;
}

const apiKeyPath = (provider: string): string =>
  formatConfigPath(["models", "providers", provider, "apiKey"]);

/** Declared secrets whose name implies a provider that has no apiKey set, by provider. */
function nameCandidates(config: OpenClawConfig): Map<SecretProvider, string[]> {
  const candidates = new Map<SecretProvider, string[]>();
  for (const secret of Object.keys(config.externalSecrets ?? {}).sort()) {
    const provider = providerForSecretName(secret);
    if (!provider || config.models?.providers?.[provider]?.apiKey !== undefined) continue;
    candidates.set(provider, [...(candidates.get(provider) ?? []), secret]);
  }
  return candidates;
}

function providerOfPath(segments: PathSegments): string | undefined {
  return segments[0] === "models" && segments[1] === "providers" && typeof segments[2] === "string"
    ? segments[2]
    : undefined;
}

/**
 * Explicit references, then implicit bindings by name. A provider that two declared names point
 * at gets no implicit binding: guessing would send the wrong key (see ambiguousNameBindings).
 */
export function resolveBindings(config: OpenClawConfig): SecretBinding[] {
  const bindings = collectReferences(config).map(({ segments, secret }) => {
    const binding: SecretBinding = { secret, path: formatConfigPath(segments), reason: "reference" };
    const provider = providerOfPath(segments);
    if (provider !== undefined) binding.provider = provider;
    return binding;
  });
  for (const [provider, secrets] of nameCandidates(config)) {
    const [secret] = secrets;
    if (secrets.length === 1 && secret !== undefined) {
      bindings.push({ secret, path: apiKeyPath(provider), reason: "name", provider });
    }
  }
  return bindings;
}

/** Providers that several declared names imply, so that the gateway can ask for an explicit reference. */
export function ambiguousNameBindings(config: OpenClawConfig): AmbiguousNameBinding[] {
  return [...nameCandidates(config)]
    .filter(([, secrets]) => secrets.length > 1)
    .map(([provider, secrets]) => ({ provider, path: apiKeyPath(provider), secrets }));
}

/** Why a binding exists, for `secrets list` and status output. */
export function describeBindingReason(binding: SecretBinding): string {
  if (binding.reason === "reference") return `referenced by { "$secret": "${binding.secret}" }`;
  const lower = binding.secret.toLowerCase();
  const entry = NAME_PATTERNS.find((candidate) => candidate.pattern.test(lower));
  const provider = binding.provider ?? entry?.provider ?? "its";
  const prefix = entry ? entry.prefix(lower) : binding.secret;
  return `named "${binding.secret}": ${prefix}-*…-key binds to the ${provider} provider`;
}

/** References to names that are not declared in externalSecrets. */
export function unknownSecretReferences(config: OpenClawConfig): SecretReference[] {
  const declared = config.externalSecrets ?? {};
  return findSecretReferences(config).filter((reference) => !Object.hasOwn(declared, reference.secret));
}
