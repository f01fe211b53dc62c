import { describe, expect, it } from "vitest";
import { agentFixture } from "./testing/agent-fixtures.js";

describe("OpenClaw agent settings reaching the runtime", () => {
  it('lets subagents.allowAgents: ["*"] delegate to every other agent', () => {
    const fixture = agentFixture(
      {
        agents: {
          entries: { lead: { subagents: { allowAgents: ["*"] } }, a: {}, b: { runtime: "subagent" } },
        },
      },
      "/tmp/openclaw-state",
    );
    expect(fixture.settingsOf(fixture.agent("lead")).subagents.targets).toEqual(["a", "b"]);
    // Without it, only runtime: "subagent" agents, as before.
    expect(fixture.settingsOf(fixture.agent("a")).subagents.targets).toEqual(["b"]);
  });

  it("passes the agent's tool policy, then the global one, to the runtime", () => {
    const fixture = agentFixture(
      {
        tools: { deny: ["exec"] },
        agents: { entries: { a: { tools: { profile: "coding" } }, b: { tools: ["read"] } } },
      },
      "/tmp/openclaw-state",
    );
    expect(fixture.settingsOf(fixture.agent("a"))).toMatchObject({
      toolPolicies: [{ profile: "coding" }, { deny: ["exec"] }],
    });
    const seed = fixture.settingsOf(fixture.agent("b"));
    expect(seed).toMatchObject({ toolAllowList: ["read"], toolPolicies: [{ deny: ["exec"] }] });
  });
});
