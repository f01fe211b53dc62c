import { describe, expect, it, vi } from "vitest";
import type { ProviderConfig } from "../config/schema.js";
import { OpenClawError } from "../errors.js";
import { type CredentialReader, resolveModelSpec } from "./resolve-model.js";

const secrets: Record<string, string> = { anthropic: "sk-ant-from-secret", openai: "sk-from-secret" };

/** Resolves `{ $secret }` from a fixed table and plain strings as themselves, recording each path. */
function fakeReader(): CredentialReader & { paths: string[]; origins: string[] } {
  const paths: string[] = [];
  const origins: string[] = [];
  const reader: CredentialReader = ({ credential, path, origin }) => {
    if (credential === undefined) return undefined;
    paths.push(path);
    origins.push(origin);
    return typeof credential === "string" ? credential : secrets[credential.$secret];
  };
  return Object.assign(reader, { paths, origins });
}

function resolveError(modelId: string, providers: Record<string, ProviderConfig> = {}): OpenClawError {
  try {
    resolveModelSpec(modelId, providers, fakeReader());
  } catch (error) {
    if (error instanceof OpenClawError) return error;
    throw error;
  }
  throw new Error(`resolving ${modelId} did not fail`);
}

describe("resolveModelSpec", () => {
  it("resolves provider/model with the configured key, base URL, headers and timeout", () => {
    const reader = fakeReader();
    const spec = resolveModelSpec(
      "anthropic/claude-sonnet-4-5",
      {
        anthropic: {
          apiKey: { $secret: "anthropic" },
          baseUrl: "https://proxy.example/v1",
          headers: { "x-team": "a" },
          timeoutMs: 5000,
        },
      },
      reader,
    );

    expect(spec).toEqual({
      provider: "anthropic",
      type: "anthropic",
      model: "claude-sonnet-4-5",
      apiKey: "sk-ant-from-secret",
      apiKeySource: 'secret "anthropic" (models.providers.anthropic.apiKey)',
      baseUrl: "https://proxy.example/v1",
      headers: { "x-team": "a" },
      timeoutMs: 5000,
    });
    expect(reader.paths).toEqual(["models.providers.anthropic.apiKey"]);
    expect(reader.origins).toEqual(["https://proxy.example"]);
  });

  it("binds a credential to the provider's default origin when no baseUrl is set", () => {
    const reader = fakeReader();
    resolveModelSpec("openai/gpt-4o", { openai: { apiKey: "k" } }, reader);
    resolveModelSpec("anthropic/claude-sonnet-4-5", { anthropic: { apiKey: "k" } }, reader);
    expect(reader.origins).toEqual(["https://api.openai.com", "https://api.anthropic.com"]);
  });

  it("asks the reader even when no apiKey is configured, so a secret can bind by its name", () => {
    const requests: unknown[] = [];
    const spec = resolveModelSpec("claude-opus-4-5-thinking", {}, (request) => {
      requests.push(request);
      return "placeholder";
    });
    expect(requests).toEqual([
      {
        provider: "anthropic",
        type: "anthropic",
        path: "models.providers.anthropic.apiKey",
        credential: undefined,
        origin: "https://api.anthropic.com",
      },
    ]);
    expect(spec.apiKey).toBe("placeholder");
  });

  it.each([
    ["claude-sonnet-4-5", "anthropic"],
    ["gpt-4o", "openai"],
    ["o1-mini", "openai"],
    ["o3", "openai"],
    ["o4-mini", "openai"],
    ["chatgpt-4o-latest", "openai"],
    ["echo", "dev"],
  ])("infers the provider of the bare id %s as %s", (modelId, provider) => {
    const spec = resolveModelSpec(modelId, {}, fakeReader());

    expect(spec).toMatchObject({ provider, type: provider, model: modelId });
  });

  it("refuses a bare id it cannot attribute and says to write provider/model", () => {
    const error = resolveError("llama3");

    expect(error.code).toBe("OC_ERR_MODEL_CONFIG");
    expect(error.hint).toContain("provider/model");
  });

  it.each(["/gpt-4o", "openai/"])("refuses the malformed id %s", (modelId) => {
    expect(resolveError(modelId).code).toBe("OC_ERR_MODEL_CONFIG");
  });

  it("takes the provider type from config before the provider's name", () => {
    const spec = resolveModelSpec(
      "openai/gpt-4o",
      { openai: { type: "openai-compatible", baseUrl: "http://127.0.0.1:4000/v1" } },
      fakeReader(),
    );

    expect(spec.type).toBe("openai-compatible");
  });

  it("treats a configured provider with an unknown name as openai-compatible", () => {
    const spec = resolveModelSpec(
      "local/gpt-oss-120b",
      { local: { baseUrl: "http://127.0.0.1:8000/v1" } },
      fakeReader(),
    );

    expect(spec).toEqual({
      provider: "local",
      type: "openai-compatible",
      model: "gpt-oss-120b",
      baseUrl: "http://127.0.0.1:8000/v1",
    });
  });

  it("refuses a provider that is neither configured nor a known type, showing the config to add", () => {
    const error = resolveError("local/gpt-oss-120b");

    expect(error.code).toBe("OC_ERR_MODEL_CONFIG");
    expect(error.message).toContain('"local"');
    expect(error.hint).toContain(
      'models.providers.local: { type: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" }',
    );
    expect(error.details).toMatchObject({ path: "models.providers.local" });
  });

  it("does not mistake Object.prototype keys for configured providers", () => {
    expect(resolveError("constructor/model").code).toBe("OC_ERR_MODEL_CONFIG");
  });

  it("requires a baseUrl for openai-compatible providers", () => {
    const error = resolveError("local/m", { local: { type: "openai-compatible" } });

    expect(error.code).toBe("OC_ERR_MODEL_CONFIG");
    expect(error.hint).toContain("models.providers.local.baseUrl");
  });

  it("resolves anthropic *-thinking models to the base model with a thinking budget", () => {
    const spec = resolveModelSpec(
      "anthropic/claude-opus-4-5-thinking",
      { anthropic: { apiKey: "k" } },
      fakeReader(),
    );

    expect(spec).toMatchObject({ model: "claude-opus-4-5", thinkingBudgetTokens: 4096 });
  });

  it("leaves -thinking alone for providers other than anthropic", () => {
    const spec = resolveModelSpec(
      "local/qwen-thinking",
      { local: { baseUrl: "http://127.0.0.1:8000/v1" } },
      fakeReader(),
    );

    expect(spec.model).toBe("qwen-thinking");
    expect(spec.thinkingBudgetTokens).toBeUndefined();
  });

  it("never reads a credential for the dev model", () => {
    const reader = vi.fn(fakeReader());
    const spec = resolveModelSpec("dev/echo", { dev: { apiKey: "unused" } }, reader);

    expect(spec).toEqual({ provider: "dev", type: "dev", model: "echo" });
    expect(reader).not.toHaveBeenCalled();
  });

  it("leaves apiKey unset when none is configured or the reader finds nothing", () => {
    expect(resolveModelSpec("openai/gpt-4o", {}, fakeReader()).apiKey).toBeUndefined();
    const spec = resolveModelSpec(
      "openai/gpt-4o",
      { openai: { apiKey: { $secret: "missing" } } },
      fakeReader(),
    );
    expect(spec.apiKey).toBeUndefined();
  });
});
