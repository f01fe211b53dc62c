import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { checkConfig } from "./config-checks.js";

const PATH = "/srv/openclaw/openclaw.json";

function loadError(text: string): OpenClawError {
  try {
    parseConfigText(text, PATH);
  } catch (error) {
    if (error instanceof OpenClawError) return error;
  }
  throw new Error("expected the config to be refused");
}

describe("checkConfig", () => {
  it("fails an invalid config with each problem at its file:line", () => {
    const configError = loadError("{\n  agents: {\n    main: { thredBound: true },\n  },\n}\n");
    const finding = checkConfig({ configPath: PATH, config: undefined, configError });
    expect(finding).toMatchObject({ id: "config", status: "fail" });
    expect(finding.summary).toBe(`config ${PATH}: invalid config (1 problem)`);
    expect(finding.details?.[0]).toMatch(
      /^\/srv\/openclaw\/openclaw\.json:3: agents\.main\.thredBound: unknown key "thredBound" \(did you mean "threadBound"\?\)/,
    );
    expect(finding.fix).toContain("openclaw config validate");
  });

  it("fails a syntax error with its line and column", () => {
    const finding = checkConfig({
      configPath: PATH,
      config: undefined,
      configError: loadError("{ agents: "),
    });
    expect(finding.summary).toMatch(/^config: \/srv\/openclaw\/openclaw\.json:1:\d+: /);
  });

  it("is ok for a valid file or none", () => {
    const loaded = parseConfigText("{}", PATH);
    expect(checkConfig({ configPath: PATH, config: loaded, configError: undefined }).summary).toBe(
      `config ${PATH} is valid`,
    );
    expect(
      checkConfig({ configPath: PATH, config: { ...loaded, exists: false }, configError: undefined }).summary,
    ).toContain("built-in defaults");
  });
});
