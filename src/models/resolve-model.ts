import type { Credential, ProviderConfig } from "../config/schema.js";
import { OpenClawError } from "../errors.js";
import { effectiveBaseUrl } from "./base-urls.js";
import type { ModelSpec, ProviderType } from "./types.js";

/**
 * Turns an agent's `model` string and the `models.providers` config into a serializable
 * `ModelSpec`. Credentials are asked of the caller's reader, so that the models layer never
 * imports the secrets layer.
 */

export interface CredentialRequest {
  /** Provider name as configured (`anthropic`, `local`, ...). */
  provider: string;
  type: ProviderType;
  /** Dotted config path of the credential, e.g. `models.providers.anthropic.apiKey`. */
  path: string;
  /** What the config says there; undefined when nothing is configured (a secret may bind by name). */
  credential: Credential | undefined;
  /** The only origin the credential may be sent to. */
  origin: string;
}

/**
 * Returns what goes into the spec's `apiKey`: in the gateway an opaque placeholder that the
 * egress path swaps for the real value, never the value itself. Throws a typed error when a
 * referenced secret cannot be had; returns undefined when there is no credential.
 */
export type CredentialReader = (request: CredentialRequest) => string | ReadCredential | undefined;

/** A placeholder with the name of where its value comes from (a secret bound by name, say). */
export interface ReadCredential {
  placeholder: string;
  /** In words, for messages: `secret "claude-api-key"`. Never the value. */
  source: string;
}

const KNOWN_TYPES: readonly ProviderType[] = ["anthropic", "openai", "openai-compatible", "dev"];

const THINKING_SUFFIX = "-thinking";
const DEFAULT_THINKING_BUDGET_TOKENS = 4096;

function isKnownType(name: string): name is ProviderType {
  return (KNOWN_TYPES as readonly string[]).includes(name);
}

/** The provider of a bare model id (`claude-sonnet-4-5`), or undefined when it is not obvious. */
function inferProvider(model: string): ProviderType | undefined {
  if (model.startsWith("claude-")) return "anthropic";
  if (/^(gpt-|chatgpt-|o1|o3|o4)/.test(model)) return "openai";
  if (model === "echo") return "dev";
  return undefined;
}

/** `provider/model`, or a bare id whose provider is obvious; throws a typed error otherwise. */
export function splitModelId(modelId: string): { provider: string; model: string } {
  const trimmed = modelId.trim();
  const slash = trimmed.indexOf("/");
  if (slash === -1) {
    const provider = inferProvider(trimmed);
    if (!provider) {
      throw new OpenClawError(
        "OC_ERR_MODEL_CONFIG",
        `Cannot tell which provider serves model "${trimmed}".`,
        {
          hint: `write the model as provider/model, e.g. "local/${trimmed}", "anthropic/claude-sonnet-4-5" or "dev/echo"`,
          details: { model: trimmed },
        },
      );
    }
    return { provider, model: trimmed };
  }
  const provider = trimmed.slice(0, slash);
  const model = trimmed.slice(slash + 1);
  if (!provider || !model) {
    throw new OpenClawError(
      "OC_ERR_MODEL_CONFIG",
      `Model id "${trimmed}" is not of the form provider/model.`,
      {
        hint: 'write it as provider/model, e.g. "anthropic/claude-sonnet-4-5"',
        details: { model: trimmed },
      },
    );
  }
  return { provider, model };
}

export function resolveModelSpec(
  modelId: string,
  providers: Record<string, ProviderConfig>,
  readCredential: CredentialReader,
): ModelSpec {
  const { provider, model } = splitModelId(modelId);
  const config = Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  const configPath = `models.providers.${provider}`;
  const type = config?.type ?? (isKnownType(provider) ? provider : config ? "openai-compatible" : undefined);
  if (!type) {
    throw new OpenClawError(
      "OC_ERR_MODEL_CONFIG",
      `Model "${modelId}" names provider "${provider}", which is not configured.`,
      {
        hint:
          `add ${configPath}: { type: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" } ` +
          '(or type "anthropic" / "openai" with an apiKey), or use a built-in provider: anthropic/<model>, ' +
          "openai/<model> or dev/echo",
        details: { path: configPath, model: modelId },
      },
    );
  }

  if (type === "dev") return { provider, type, model };

  if (type === "openai-compatible" && !config?.baseUrl) {
    throw new OpenClawError(
      "OC_ERR_MODEL_CONFIG",
      `Provider "${provider}" is openai-compatible but has no baseUrl.`,
      {
        hint: `set ${configPath}.baseUrl, e.g. "http://127.0.0.1:8000/v1" for vLLM or "http://127.0.0.1:11434/v1" for Ollama`,
        details: { path: `${configPath}.baseUrl` },
      },
    );
  }

  const spec: ModelSpec = { provider, type, model };
  if (type === "anthropic" && model.endsWith(THINKING_SUFFIX) && model.length > THINKING_SUFFIX.length) {
    spec.model = model.slice(0, -THINKING_SUFFIX.length);
    spec.thinkingBudgetTokens = DEFAULT_THINKING_BUDGET_TOKENS;
  }
  if (config?.baseUrl) spec.baseUrl = config.baseUrl;
  if (config?.headers) spec.headers = { ...config.headers };
  if (config?.timeoutMs !== undefined) spec.timeoutMs = config.timeoutMs;
  const baseUrl = effectiveBaseUrl(type, config?.baseUrl);
  if (baseUrl) {
    const apiKey = readCredential({
      provider,
      type,
      path: `${configPath}.apiKey`,
      credential: config?.apiKey,
      origin: new URL(baseUrl).origin,
    });
    if (typeof apiKey === "string") {
      spec.apiKey = apiKey;
      spec.apiKeySource = describeKeySource(config?.apiKey, `${configPath}.apiKey`);
    } else if (apiKey) {
      spec.apiKey = apiKey.placeholder;
      spec.apiKeySource = `${apiKey.source} (${configPath}.apiKey)`;
    }
  }
  return spec;
}

function describeKeySource(credential: Credential | undefined, path: string): string {
  if (credential === undefined) return `the secret bound by name to ${path} (see \`openclaw secrets list\`)`;
  if (typeof credential === "string") return `the plaintext ${path} in openclaw.json`;
  return `secret "${credential.$secret}" (${path})`;
}
