import { describe, expect, it } from "vitest";
import { ProviderTypeSchema } from "../../config/schema.js";
import type { ProviderType } from "../types.js";
import { describeProviderConformance } from "./describe-provider-conformance.js";
import type { ProviderUnderTest } from "./provider-under-test.js";
import { devModelUnderTest } from "./targets/dev-model-target.js";
import { remoteProviderUnderTest } from "./targets/remote-provider-target.js";

/** Every provider type, under the same suite: a Record, so a new type does not compile without one. */
const PROVIDERS_UNDER_TEST: Record<ProviderType, () => Promise<ProviderUnderTest>> = {
  anthropic: () =>
    remoteProviderUnderTest({
      server: "anthropic",
      spec: { provider: "anthropic", type: "anthropic", model: "claude-sonnet-4-5" },
    }),
  openai: () =>
    remoteProviderUnderTest({
      server: "openai",
      spec: { provider: "openai", type: "openai", model: "gpt-4o" },
    }),
  "openai-compatible": () =>
    remoteProviderUnderTest({
      server: "openai",
      spec: { provider: "local", type: "openai-compatible", model: "gpt-oss-120b" },
    }),
  dev: devModelUnderTest,
};

for (const [type, start] of Object.entries(PROVIDERS_UNDER_TEST)) describeProviderConformance(type, start);

describe("the provider conformance suite", () => {
  it("runs for every provider type a config may name", () => {
    expect(Object.keys(PROVIDERS_UNDER_TEST).sort()).toEqual([...ProviderTypeSchema.options].sort());
  });
});
