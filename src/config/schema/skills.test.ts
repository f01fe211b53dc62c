import { describe, expect, it } from "vitest";
import { parseConfigText } from "../load.js";
import { configIssuesOf } from "../testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";

describe("skills config", () => {
  it("keeps enabled and extraDirs, and warns that env and apiKey are not supported", () => {
    const loaded = parseConfigText(
      `{ skills: { load: { extraDirs: ["~/s"] }, entries: { deploy: { enabled: false, env: { A: "b" }, apiKey: "k" } } } }`,
      FILE,
    );
    expect(loaded.config.skills).toEqual({
      load: { extraDirs: ["~/s"] },
      entries: { deploy: { enabled: false } },
    });
    expect(loaded.warnings.map((warning) => warning.path)).toEqual([
      "skills.entries.deploy.env",
      "skills.entries.deploy.apiKey",
    ]);
  });

  it("refuses a typo in an entry", () => {
    expect(configIssuesOf(`{ skills: { entries: { deploy: { enabeld: false } } } }`, FILE)).toEqual([
      expect.objectContaining({ path: "skills.entries.deploy.enabeld" }),
    ]);
  });
});
