import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";
const providersOf = (providers: string) =>
  parseConfigText(`{ models: { providers: ${providers} } }`, FILE, {});

const issuesOf = (text: string) => configIssuesOf(text, FILE, {});

describe("OpenClaw's models.providers", () => {
  it("maps each supported api onto a provider type", () => {
    const { config } = providersOf(`{
      proxy: { baseUrl: "http://localhost:4000/v1", api: "openai-completions" },
      openai: { api: "openai-completions" },
      responses: { api: "openai-responses" },
      claude: { baseUrl: "https://api.anthropic.com", api: "anthropic-messages" },
      ollama: { baseUrl: "http://127.0.0.1:11434", api: "ollama" },
      bare: { api: "ollama" },
    }`);
    const { providers } = config.models;
    expect(providers.proxy).toEqual({ type: "openai-compatible", baseUrl: "http://localhost:4000/v1" });
    expect(providers.openai).toEqual({ type: "openai" });
    expect(providers.responses).toEqual({ type: "openai" });
    expect(providers.claude?.type).toBe("anthropic");
    expect(providers.ollama).toEqual({ type: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1" });
    expect(providers.bare?.baseUrl).toBe("http://127.0.0.1:11434/v1");
  });

  it("keeps the catalog's ids and names, warning about its metadata", () => {
    const loaded = providersOf(`{
      "custom-proxy": {
        baseUrl: "http://localhost:4000/v1",
        apiKey: "LITELLM_KEY",
        api: "openai-completions",
        timeoutSeconds: 30,
        models: [{ id: "llama-3.1-8b", name: "Llama 3.1 8B", contextWindow: 128000, maxTokens: 32000 }],
      },
    }`);
    expect(loaded.config.models.providers["custom-proxy"]).toEqual({
      type: "openai-compatible",
      baseUrl: "http://localhost:4000/v1",
      apiKey: "LITELLM_KEY",
      timeoutMs: 30_000,
      models: [{ id: "llama-3.1-8b", name: "Llama 3.1 8B" }],
    });
    expect(loaded.warnings.map((warning) => warning.path)).toEqual([
      "models.providers.custom-proxy.models[0].contextWindow",
      "models.providers.custom-proxy.models[0].maxTokens",
    ]);
  });

  it("refuses an api this gateway has no adapter for, and a type that contradicts the api", () => {
    expect(issuesOf(`{ models: { providers: { g: { api: "google-generative-ai" } } } }`)).toEqual([
      expect.objectContaining({
        path: "models.providers.g.api",
        message: expect.stringMatching(
          /"google-generative-ai" is not supported here \(supported: openai-completions/,
        ),
      }),
    ]);
    expect(
      issuesOf(`{ models: { providers: { a: { type: "openai", api: "anthropic-messages" } } } }`),
    ).toEqual([
      expect.objectContaining({
        path: "models.providers.a.type",
        message: expect.stringMatching(/contradicts api/),
      }),
    ]);
    expect(issuesOf(`{ models: { providers: { a: { api: "openai-complettions" } } } }`)).toEqual([
      expect.objectContaining({ suggestion: "openai-completions" }),
    ]);
  });
});
