import { describe, expect, it } from "vitest";
import { ConfigSchema, type OpenClawConfig } from "../config/schema.js";
import {
  ambiguousNameBindings,
  describeBindingReason,
  findSecretReferences,
  providerForSecretName,
  resolveBindings,
  unknownSecretReferences,
} from "./bindings.js";

const config = (input: unknown): OpenClawConfig => ConfigSchema.parse(input);

describe("findSecretReferences", () => {
  it("lists every { $secret } with its dotted path, quoting keys that are not plain words", () => {
    const parsed = config({
      externalSecrets: {
        "claude-key": { source: "env", key: "ANTHROPIC_API_KEY" },
        example: { source: "env", key: "EXAMPLE_KEY" },
      },
      models: {
        providers: {
          anthropic: { apiKey: { $secret: "claude-key" } },
          "api.example": { apiKey: { $secret: "example" }, baseUrl: "https://api.example.com/v1" },
          openai: { apiKey: "sk-inline" },
        },
      },
    });
    // Sections other engineers add (gateway.auth.token) are found by the same walk.
    const withAuth = {
      ...parsed,
      gateway: { ...parsed.gateway, auth: { token: { $secret: "gateway-token" } } },
    };
    expect(findSecretReferences(withAuth as OpenClawConfig)).toEqual([
      { path: "gateway.auth.token", secret: "gateway-token" },
      { path: "models.providers.anthropic.apiKey", secret: "claude-key" },
      { path: 'models.providers["api.example"].apiKey', secret: "example" },
    ]);
  });

  it("reports references to undeclared secrets, which the schema also refuses", () => {
    const raw = {
      externalSecrets: { "claude-key": { source: "env", key: "K" } },
      models: {
        providers: {
          anthropic: { apiKey: { $secret: "claude-key" } },
          openai: { apiKey: { $secret: "nope" } },
        },
      },
    };
    const result = ConfigSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["models", "providers", "openai", "apiKey", "$secret"],
      message: expect.stringContaining(
        'secret "nope" is not declared in externalSecrets (declared: claude-key)',
      ),
    });
    // Unvalidated input (an edit in progress) is checked the same way.
    const parsed = {
      ...config({ externalSecrets: raw.externalSecrets }),
      models: raw.models,
    } as OpenClawConfig;
    expect(unknownSecretReferences(parsed)).toEqual([
      { path: "models.providers.openai.apiKey", secret: "nope" },
    ]);
  });
});

describe("providerForSecretName", () => {
  it.each([
    ["claude-api-key", "anthropic"],
    ["claude-opus-key", "anthropic"],
    ["claude-key", "anthropic"],
    ["anthropic-prod-key", "anthropic"],
    ["openai-api-key", "openai"],
    ["OpenAI-API-Key", "openai"],
    ["claude-api-token", undefined],
    ["my-claude-key", undefined],
    ["openai", undefined],
    ["claudekey", undefined],
    ["gateway-token", undefined],
  ])("%s → %s", (name, provider) => {
    expect(providerForSecretName(name)).toBe(provider);
  });
});

describe("resolveBindings", () => {
  it("binds by reference, and by name only where the provider has no apiKey at all", () => {
    const parsed = config({
      externalSecrets: {
        "claude-opus-key": { source: "file", path: "claude.key" },
        "openai-api-key": { source: "env", key: "OPENAI_API_KEY" },
        "gateway-token": { source: "env", key: "TOKEN" },
      },
      models: {
        providers: { openai: { apiKey: "sk-inline" }, local: { apiKey: { $secret: "gateway-token" } } },
      },
    });
    const bindings = resolveBindings(parsed);
    expect(bindings).toEqual([
      {
        secret: "gateway-token",
        path: "models.providers.local.apiKey",
        reason: "reference",
        provider: "local",
      },
      {
        secret: "claude-opus-key",
        path: "models.providers.anthropic.apiKey",
        reason: "name",
        provider: "anthropic",
      },
    ]);
    expect(describeBindingReason(bindings[1]!)).toBe(
      'named "claude-opus-key": claude-*…-key binds to the anthropic provider',
    );
    expect(describeBindingReason(bindings[0]!)).toBe('referenced by { "$secret": "gateway-token" }');
  });

  it("binds no name when two names imply the same provider, and says so", () => {
    const parsed = config({
      externalSecrets: {
        "claude-opus-key": { source: "env", key: "A" },
        "anthropic-api-key": { source: "env", key: "B" },
        "openai-api-key": { source: "env", key: "C" },
      },
    });
    expect(resolveBindings(parsed)).toEqual([
      {
        secret: "openai-api-key",
        path: "models.providers.openai.apiKey",
        reason: "name",
        provider: "openai",
      },
    ]);
    expect(describeBindingReason(resolveBindings(parsed)[0]!)).toBe(
      'named "openai-api-key": openai-*…-key binds to the openai provider',
    );
    expect(ambiguousNameBindings(parsed)).toEqual([
      {
        provider: "anthropic",
        path: "models.providers.anthropic.apiKey",
        secrets: ["anthropic-api-key", "claude-opus-key"],
      },
    ]);
  });

  it("does not bind by name when the provider's apiKey is set, even by reference", () => {
    const parsed = config({
      externalSecrets: { "claude-api-key": { source: "env", key: "A" }, other: { source: "env", key: "B" } },
      models: { providers: { anthropic: { apiKey: { $secret: "other" } } } },
    });
    expect(resolveBindings(parsed)).toEqual([
      {
        secret: "other",
        path: "models.providers.anthropic.apiKey",
        reason: "reference",
        provider: "anthropic",
      },
    ]);
  });
});
