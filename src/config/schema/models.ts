import { z } from "zod";
import { CredentialSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

export const ProviderTypeSchema = z.enum(["anthropic", "openai", "openai-compatible", "dev"]);
type ProviderType = z.output<typeof ProviderTypeSchema>;

/**
 * OpenClaw's request adapters (`models.providers.*.api`, config-tools/custom-providers.md) and
 * the wire format each is here. Ollama's own adapter speaks its native API; Ollama serves the
 * OpenAI chat-completions API too, under /v1, which is what this gateway uses.
 */
const API_TYPES: Record<string, ProviderType> = {
  "openai-completions": "openai-compatible",
  "openai-responses": "openai",
  "anthropic-messages": "anthropic",
  ollama: "openai-compatible",
};
const OPENCLAW_ONLY_APIS = [
  "openai-chatgpt-responses",
  "google-generative-ai",
  "google-vertex",
  "github-copilot",
  "bedrock-converse-stream",
  "pi-messages",
  "azure-openai-responses",
];
const DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";

/** A row of OpenClaw's model catalog; the id and name are kept, metadata is ignored with a warning. */
const CatalogModelSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  ...openclawOnlyKeys([
    "api",
    "compat",
    "contextTokens",
    "contextWindow",
    "cost",
    "headers",
    "input",
    "maxTokens",
    "params",
    "reasoning",
  ]),
});

const httpUrl = () => z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

export const ProviderSchema = z
  .strictObject({
    type: ProviderTypeSchema.optional().describe(
      "Wire format. Defaults to the provider's name when that is a known type, else openai-compatible.",
    ),
    api: z
      .enum([...Object.keys(API_TYPES), ...OPENCLAW_ONLY_APIS] as [string, ...string[]])
      .optional()
      .describe(
        "OpenClaw's name for the wire format: openai-completions, openai-responses, anthropic-messages or ollama.",
      ),
    // Without the protocol check `localhost:11434/v1` passes as a URL whose scheme is "localhost:".
    baseUrl: httpUrl().optional().describe("API base URL, e.g. http://127.0.0.1:11434/v1 for Ollama."),
    apiKey: CredentialSchema.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    timeoutSeconds: z
      .number()
      .positive()
      .optional()
      .describe("OpenClaw's spelling of timeoutMs, in seconds."),
    models: z
      .array(CatalogModelSchema)
      .optional()
      .describe("OpenClaw's model catalog rows for this provider."),
    ...openclawOnlyKeys([
      "agentRuntime",
      "auth",
      "authHeader",
      "injectNumCtxForOpenAICompat",
      "maxTokens",
      "request",
    ]),
  })
  .superRefine((provider, context) => {
    if (provider.api !== undefined && !(provider.api in API_TYPES)) {
      context.addIssue({
        code: "custom",
        path: ["api"],
        message: `api "${provider.api}" is not supported here (supported: ${Object.keys(API_TYPES).join(", ")})`,
      });
    }
    const implied = provider.api === undefined ? undefined : API_TYPES[provider.api];
    const compatible = provider.api === "openai-completions" && provider.type === "openai";
    if (provider.type !== undefined && implied !== undefined && provider.type !== implied && !compatible) {
      context.addIssue({
        code: "custom",
        path: ["type"],
        message: `type "${provider.type}" contradicts api "${provider.api}" (which is ${implied}); keep one`,
      });
    }
  })
  .transform(({ api, timeoutSeconds, ...provider }) => {
    // Chat completions without a base URL can only mean OpenAI's own endpoint.
    const implied =
      api === "openai-completions" && provider.baseUrl === undefined ? "openai" : API_TYPES[api ?? ""];
    const type = provider.type ?? implied;
    const timeoutMs =
      provider.timeoutMs ?? (timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000);
    let baseUrl = provider.baseUrl;
    if (api === "ollama") {
      const root = (baseUrl ?? DEFAULT_OLLAMA_URL).replace(/\/+$/, "");
      baseUrl = root.endsWith("/v1") ? root : `${root}/v1`;
    }
    return {
      ...provider,
      ...(type !== undefined ? { type } : {}),
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs: Math.round(timeoutMs) } : {}),
    };
  });

export const ModelsSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), ProviderSchema).prefault({}),
  ...openclawOnlyKeys(["mode"]),
});
