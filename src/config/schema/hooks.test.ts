import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { parseConfigText } from "../load.js";
import { ConfigSchema } from "../schema.js";
import { DEFAULT_HOOK_MAX_BODY_BYTES } from "./hooks.js";

const FILE = "/etc/openclaw/openclaw.json";

function messagesOf(text: string): string[] {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    if (error instanceof OpenClawError)
      return (error.details as { issues: { path: string; message: string }[] }).issues.map(
        (issue) => `${issue.path}: ${issue.message}`,
      );
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("hooks config", () => {
  it("has OpenClaw's defaults: off, /hooks, 256 KiB, no caller session keys", () => {
    expect(ConfigSchema.parse({}).hooks).toEqual({
      enabled: false,
      path: "/hooks",
      maxBodyBytes: DEFAULT_HOOK_MAX_BODY_BYTES,
      allowRequestSessionKey: false,
    });
  });

  it("normalises the path and refuses /", () => {
    expect(ConfigSchema.parse({ hooks: { path: "inbound/" } }).hooks.path).toBe("/inbound");
    expect(ConfigSchema.safeParse({ hooks: { path: "/" } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ hooks: { path: "/a/../b" } }).success).toBe(false);
  });

  it("needs a token when enabled", () => {
    expect(messagesOf("{ hooks: { enabled: true } }").join("\n")).toMatch(/hooks\.token.*needs hooks\.token/);
  });

  it("refuses a plaintext token in production, accepts a $secret", () => {
    const production = (token: unknown) =>
      JSON.stringify({
        externalSecrets: { "hooks-token": { source: "env", key: "HOOKS_TOKEN" } },
        gateway: { mode: "production", auth: { mode: "none" } },
        hooks: { enabled: true, token },
      });
    expect(messagesOf(production("plain-hook-token")).join("\n")).toMatch(
      /hooks\.token: plaintext credential refused/,
    );
    expect(parseConfigText(production({ $secret: "hooks-token" }), FILE).config.hooks.token).toEqual({
      $secret: "hooks-token",
    });
  });

  it("loads OpenClaw's mappings, presets and Gmail with a warning each", () => {
    const loaded = parseConfigText(
      '{ hooks: { mappings: [{ match: { path: "gmail" } }], presets: ["gmail"], gmail: { account: "a@b" } } }',
      FILE,
    );
    expect(loaded.warnings.map((warning) => warning.path).sort()).toEqual([
      "hooks.gmail",
      "hooks.mappings",
      "hooks.presets",
    ]);
    expect(loaded.config.hooks).not.toHaveProperty("mappings");
  });
});
