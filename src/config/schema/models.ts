import { z } from "zod";
import { CredentialSchema } from "./credentials.js";

export const ProviderTypeSchema = z.enum(["anthropic", "openai", "openai-compatible", "dev"]);

export const ProviderSchema = z.strictObject({
  type: ProviderTypeSchema.optional().describe(
    "Wire format. Defaults to the provider's name when that is a known type, else openai-compatible.",
  ),
  // Without the protocol check `localhost:11434/v1` passes as a URL whose scheme is "localhost:".
  baseUrl: z
    .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
    .optional()
    .describe("API base URL, e.g. http://127.0.0.1:11434/v1 for Ollama."),
  apiKey: CredentialSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const ModelsSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), ProviderSchema).prefault({}),
});
