import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { spawnTargets } from "./gateway-thread-bindings.js";

const config = (agents: Record<string, unknown>) => ConfigSchema.parse({ agents });

describe("spawnTargets (agents_list, and what sessions_spawn allows)", () => {
  it("lists the allowed agents with their models and placement", () => {
    const agents = config({
      lead: { model: "openai/gpt-4o", subagents: { allowAgents: ["analyzer"] } },
      analyzer: { model: "openai/gpt-4o-mini", threadBound: true },
      other: {},
    });
    expect(spawnTargets(agents, "lead")).toEqual([
      { id: "analyzer", model: "openai/gpt-4o-mini", threadBound: true },
    ]);
  });

  it('takes ["*"] as every other configured agent, and defaults to the runtime "subagent" ones', () => {
    const agents = config({
      lead: { subagents: { allowAgents: ["*"] } },
      analyzer: { runtime: "subagent" },
      writer: {},
    });
    expect(spawnTargets(agents, "lead").map((target) => target.id)).toEqual(["analyzer", "writer"]);
    expect(spawnTargets(agents, "writer").map((target) => target.id)).toEqual(["analyzer"]);
    expect(spawnTargets(agents, "analyzer")).toEqual([]);
    expect(spawnTargets(agents, "nobody")).toEqual([]);
    expect(spawnTargets(agents, "writer")[0]?.model).toBe("dev/echo");
  });
});
