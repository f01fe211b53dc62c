import { describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agents.js";
import { ConfigSchema } from "./schema.js";

const chainsOf = (agents: unknown) =>
  resolveAgentConfigs(ConfigSchema.parse({ agents })).map(({ id, model, modelFallbacks }) => ({
    id,
    model,
    modelFallbacks,
  }));

describe("an agent's model chain", () => {
  it("reads OpenClaw's { primary, fallbacks } and keeps the string form", () => {
    expect(
      chainsOf({
        a: { model: { primary: "anthropic/claude-sonnet-4-5", fallbacks: ["local/qwen", "dev/echo"] } },
        b: { model: "local/qwen" },
      }),
    ).toEqual([
      { id: "a", model: "anthropic/claude-sonnet-4-5", modelFallbacks: ["local/qwen", "dev/echo"] },
      { id: "b", model: "local/qwen", modelFallbacks: undefined },
    ]);
  });

  it("takes agents.defaults.model whole when the agent names no model", () => {
    expect(
      chainsOf({ defaults: { model: { primary: "openai/gpt-4o", fallbacks: ["dev/echo"] } }, a: {} }),
    ).toEqual([{ id: "a", model: "openai/gpt-4o", modelFallbacks: ["dev/echo"] }]);
  });

  it("keeps an agent's own primary strict unless it lists fallbacks", () => {
    const defaults = { model: { primary: "openai/gpt-4o", fallbacks: ["dev/echo"] } };
    expect(
      chainsOf({ defaults, a: { model: "local/qwen" }, b: { model: { primary: "local/qwen" } } }),
    ).toEqual([
      { id: "a", model: "local/qwen", modelFallbacks: undefined },
      { id: "b", model: "local/qwen", modelFallbacks: undefined },
    ]);
  });

  it("lets an agent replace only the fallbacks and keep the shared primary", () => {
    const defaults = { model: { primary: "openai/gpt-4o", fallbacks: ["dev/echo"] } };
    expect(
      chainsOf({ defaults, a: { model: { fallbacks: ["local/qwen"] } }, b: { model: { fallbacks: [] } } }),
    ).toEqual([
      { id: "a", model: "openai/gpt-4o", modelFallbacks: ["local/qwen"] },
      { id: "b", model: "openai/gpt-4o", modelFallbacks: undefined },
    ]);
  });

  it("refuses an unknown key in the model object", () => {
    const result = ConfigSchema.safeParse({
      agents: { a: { model: { primary: "dev/echo", fallback: [] } } },
    });
    expect(result.success).toBe(false);
  });
});
