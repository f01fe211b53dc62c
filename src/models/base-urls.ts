import type { ProviderType } from "./types.js";

/**
 * Where a provider's API lives when `baseUrl` is not set. The SDK has its own defaults, but they
 * can be overridden from the environment (ANTHROPIC_BASE_URL, OPENAI_BASE_URL); the gateway
 * always passes one explicitly, and binds each credential to this origin.
 */
const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  anthropic: "https://api.anthropic.com/v1",
  openai: "https://api.openai.com/v1",
};

export function effectiveBaseUrl(type: ProviderType, baseUrl: string | undefined): string | undefined {
  return baseUrl ?? DEFAULT_BASE_URLS[type];
}
