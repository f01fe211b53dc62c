import { z } from "zod";
import { CredentialSchema } from "./credentials.js";

export const MemorySchema = z.strictObject({
  enabled: z
    .boolean()
    .prefault(true)
    .describe("Per-agent memory (SQLite under the state dir) and the memory_* tools."),
  embeddings: z
    .strictObject({
      provider: z.enum(["openai", "openai-compatible"]).prefault("openai-compatible"),
      model: z.string().min(1),
      baseUrl: z
        .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
        .optional()
        .describe(
          "Default https://api.openai.com/v1 for openai; required for openai-compatible (Ollama, vLLM, llama.cpp).",
        ),
      apiKey: CredentialSchema.optional(),
      dimensions: z
        .number()
        .int()
        .min(1)
        .max(8192)
        .optional()
        .describe("Vector size; learned from the first answer when unset."),
      batchSize: z.number().int().min(1).max(2048).prefault(64),
    })
    .optional()
    .describe("Without it, memory search is keyword-only (and says so)."),
  qdrant: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
      apiKey: CredentialSchema.optional(),
      collection: z.string().min(1).max(255).prefault("openclaw-memories"),
      mode: z.enum(["sync", "primary"]).prefault("sync"),
    })
    .optional(),
});
