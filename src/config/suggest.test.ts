import { describe, expect, it } from "vitest";
import { OPENCLAW_ONLY_GATEWAY } from "./schema/openclaw-only.js";
import { ConfigSchema } from "./schema.js";
import { editDistance, schemaKeysAt, suggestNearest } from "./suggest.js";

describe("suggestNearest", () => {
  it("measures insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("thredBound", "threadBound")).toBe(1);
    expect(editDistance("prot", "port")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests only plausible typos", () => {
    expect(suggestNearest("thredBound", ["threadBound", "runtime"])).toBe("threadBound");
    expect(suggestNearest("threadbound", ["threadBound"])).toBe("threadBound");
    expect(suggestNearest("antropic", ["anthropic", "openai"])).toBe("anthropic");
    expect(suggestNearest("frobnicate", ["threadBound", "runtime"])).toBeUndefined();
    expect(suggestNearest("x", ["y"])).toBeUndefined();
  });
});

describe("schemaKeysAt", () => {
  it("walks objects, prefaults, records and the agents catchall", () => {
    expect(schemaKeysAt(ConfigSchema, [])).toEqual(
      expect.arrayContaining(["gateway", "agents", "externalSecrets"]),
    );
    // OpenClaw's keys that are accepted and ignored are listed too, so that their typos get a suggestion.
    expect(schemaKeysAt(ConfigSchema, ["gateway"])).toEqual([
      "host",
      "bind",
      "port",
      "mode",
      "auth",
      "trustedProxies",
      "tls",
      "controlUi",
      "allowedHosts",
      "maxBodyBytes",
      "releaseMemoryAfterIdleMs",
      "http",
      ...OPENCLAW_ONLY_GATEWAY,
    ]);
    expect(schemaKeysAt(ConfigSchema, ["agents", "my-agent"])).toContain("threadBound");
    expect(schemaKeysAt(ConfigSchema, ["agents", "defaults", "sandbox", "docker"])).toEqual(
      expect.arrayContaining(["enabled", "image", "binds", "network", "allowedRoots"]),
    );
    expect(schemaKeysAt(ConfigSchema, ["models", "providers", "local"])).toContain("baseUrl");
  });

  it("picks the branch of a discriminated union from the value", () => {
    const config = { externalSecrets: { a: { source: "exec" } } };
    expect(schemaKeysAt(ConfigSchema, ["externalSecrets", "a"], config)).toEqual([
      "source",
      "command",
      "timeoutMs",
      "passEnv",
      "json",
    ]);
  });
});
