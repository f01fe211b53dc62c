import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { findPlaintextCredentials } from "./plaintext.js";

describe("findPlaintextCredentials", () => {
  it("lists credential fields holding plain strings, not references or declarations", () => {
    const config = ConfigSchema.parse({
      externalSecrets: { "claude-api-key": { source: "env", key: "CLAUDE_API_KEY" } },
      models: {
        providers: {
          anthropic: { apiKey: "sk-ant-inline" },
          openai: { apiKey: { $secret: "claude-api-key" } },
          local: { baseUrl: "http://127.0.0.1:8000/v1", headers: { "x-api-key": "inline", "x-team": "a" } },
        },
      },
      gateway: { auth: { token: "plain-token" } },
    });
    expect(findPlaintextCredentials(config).sort()).toEqual(
      [
        "gateway.auth.token",
        "models.providers.local.headers.x-api-key",
        "models.providers.anthropic.apiKey",
      ].sort(),
    );
  });

  it("finds nothing in a config that only references secrets", () => {
    const config = ConfigSchema.parse({
      externalSecrets: { t: { source: "file", path: "/run/t" } },
      gateway: { auth: { mode: "token", token: { $secret: "t" } } },
    });
    expect(findPlaintextCredentials(config)).toEqual([]);
  });
});
