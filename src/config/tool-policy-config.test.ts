import { describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agents.js";
import { parseConfigText } from "./load.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";

const issuesOf = (text: string) => configIssuesOf(text, FILE, {});

describe("tools.{ profile, allow, deny } in the config", () => {
  it("accepts a global policy and a per-agent one beside the seed's allow-list", () => {
    const { config, warnings } = parseConfigText(
      `{
  tools: { profile: "coding", deny: ["exec"], elevated: { enabled: true } },
  agents: { entries: { a: { tools: { allow: ["read"] } }, b: { tools: ["current_time"] } } },
}`,
      FILE,
      {},
    );
    expect(config.tools).toEqual({ profile: "coding", deny: ["exec"] });
    expect(resolveAgentConfigs(config).map((agent) => agent.tools)).toEqual([
      { allow: ["read"] },
      ["current_time"],
    ]);
    expect(warnings.map((warning) => warning.path)).toEqual(["tools.elevated"]);
  });

  it("refuses allow with alsoAllow, an unknown profile and a typo, as OpenClaw's validation does", () => {
    expect(issuesOf(`{ tools: { allow: ["read"], alsoAllow: ["write"] } }`)).toEqual([
      expect.objectContaining({
        path: "tools.alsoAllow",
        message: expect.stringMatching(/cannot both be set/),
      }),
    ]);
    expect(issuesOf(`{ tools: { profile: "codng" } }`)).toEqual([
      expect.objectContaining({ suggestion: "coding" }),
    ]);
    expect(issuesOf(`{ agents: { entries: { a: { tools: { dney: ["exec"] } } } } }`)).toEqual([
      expect.objectContaining({ path: "agents.entries.a.tools.dney", suggestion: "deny" }),
    ]);
  });
});
