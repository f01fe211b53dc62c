import { describe, expect, it } from "vitest";
import { agentFixture } from "./testing/agent-fixtures.js";

describe("resolveRuntimeSettings: model fallbacks", () => {
  it("resolves each fallback like the primary, in order", () => {
    const fixture = agentFixture(
      {
        models: { providers: { local: { type: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" } } },
        agents: { main: { model: { primary: "local/big", fallbacks: ["local/small", "dev/echo"] } } },
      },
      "/tmp/state",
    );
    const settings = fixture.settingsOf(fixture.agent("main"));
    expect(settings.model).toMatchObject({ provider: "local", model: "big" });
    expect(settings.fallbackModels.map((spec) => `${spec.provider}/${spec.model}`)).toEqual([
      "local/small",
      "dev/echo",
    ]);
  });

  it("names the fallback entry whose provider is not configured", () => {
    const fixture = agentFixture(
      { agents: { main: { model: { primary: "dev/echo", fallbacks: ["dev/echo", "lcoal/x"] } } } },
      "/tmp/state",
    );
    expect(() => fixture.settingsOf(fixture.agent("main"))).toThrow(
      expect.objectContaining({
        code: "OC_ERR_MODEL_CONFIG",
        message: expect.stringMatching(
          /^agents\.main\.model\.fallbacks\[1\]: Model "lcoal\/x" names provider/,
        ),
      }),
    );
  });
});
