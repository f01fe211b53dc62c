import { describe, expect, it } from "vitest";
import { expandDottedKeys } from "./dotted-keys.js";

describe("expandDottedKeys", () => {
  it("merges a top-level dotted key into the nested tree", () => {
    const raw = {
      agents: { analyzer: { threadBound: true }, defaults: { model: "dev/echo" } },
      "agents.defaults.sandbox": { docker: { enabled: true } },
    };
    const expanded = expandDottedKeys(raw);
    expect(expanded.problems).toEqual([]);
    expect(expanded.value).toEqual({
      agents: {
        analyzer: { threadBound: true },
        defaults: { model: "dev/echo", sandbox: { docker: { enabled: true } } },
      },
    });
    expect(expanded.origins).toEqual([
      { sourceKey: "agents.defaults.sandbox", path: ["agents", "defaults", "sandbox"] },
    ]);
    expect(raw.agents.defaults).toEqual({ model: "dev/echo" });
  });

  it("reports a leaf set both by a dotted key and by the nested form", () => {
    const expanded = expandDottedKeys({
      agents: { defaults: { sandbox: { docker: { enabled: false } } } },
      "agents.defaults.sandbox": { docker: { enabled: true, image: "node:24" } },
    });
    expect(expanded.problems).toEqual([
      {
        path: ["agents", "defaults", "sandbox", "docker", "enabled"],
        sourcePath: ["agents.defaults.sandbox", "docker", "enabled"],
        otherSourcePath: ["agents", "defaults", "sandbox", "docker", "enabled"],
        message:
          'set both by the dotted key "agents.defaults.sandbox" and by the nested form; keep only one of them',
      },
    ]);
  });

  it("reports a leaf set by two dotted keys, and a dotted key through a non-object", () => {
    const twice = expandDottedKeys({ "gateway.port": 1, gateway: {}, "gateway.port.extra": 2 });
    expect(twice.problems.map((problem) => problem.path)).toEqual([["gateway", "port"]]);
    expect(twice.problems[0]?.message).toContain('by "gateway.port"');
    const scalar = expandDottedKeys({ gateway: 5, "gateway.port": 1 });
    expect(scalar.problems[0]?.path).toEqual(["gateway"]);
  });

  it("rejects empty segments and never writes through __proto__", () => {
    expect(expandDottedKeys({ "agents..x": 1 }).problems[0]?.message).toContain("empty segment");
    const expanded = expandDottedKeys(JSON.parse('{"__proto__.polluted": true}') as Record<string, unknown>);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(expanded.value, "__proto__")).toBe(true);
  });
});
