import { describe, expect, it } from "vitest";
import { readEnvSecret } from "./env-source.js";

describe("readEnvSecret", () => {
  const declaration = { source: "env", key: "ANTHROPIC_API_KEY" } as const;

  it("reads the variable from the given environment", () => {
    expect(readEnvSecret("claude-api-key", declaration, { ANTHROPIC_API_KEY: "sk-ant-value" })).toBe(
      "sk-ant-value",
    );
  });

  it("names the variable when it is missing or empty", () => {
    expect(() => readEnvSecret("claude-api-key", declaration, {})).toThrow(
      expect.objectContaining({
        code: "OC_ERR_SECRET_UNAVAILABLE",
        message:
          'secret "claude-api-key": environment variable ANTHROPIC_API_KEY is not set in the gateway\'s environment',
        hint: expect.stringContaining("set ANTHROPIC_API_KEY where the gateway is started"),
      }),
    );
    expect(() => readEnvSecret("claude-api-key", declaration, { ANTHROPIC_API_KEY: "" })).toThrow(/is empty/);
  });
});
