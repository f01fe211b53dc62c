import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { sessionsService, spawnTargets } from "./gateway-thread-bindings.js";

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

describe("the sessions host service", () => {
  const calls: string[] = [];
  const spawner = {
    agents: () => {
      calls.push("agents");
      return [];
    },
    spawn: async (_caller: unknown, input: { agentId: string }) => {
      calls.push(`spawn ${input.agentId}`);
      return { status: "bound" } as never;
    },
  };
  const call = (agentId: string, operation: string, input: unknown, agents: Record<string, unknown>) =>
    Promise.resolve().then(() =>
      sessionsService(spawner, () => config(agents))({
        agentId,
        sessionKey: `agent:${agentId}:telegram:direct:1`,
        operation,
        input,
        signal: new AbortController().signal,
      }),
    );

  it("serves an agent given the tools, and checks what crossed from its thread", async () => {
    const agents = { lead: { subagents: { allowAgents: ["analyzer"] } }, analyzer: {} };
    await call("lead", "agents", {}, agents);
    await call("lead", "spawn", { agentId: "analyzer", task: "x", mode: "session" }, agents);
    expect(calls.splice(0)).toEqual(["agents", "spawn analyzer"]);
    await expect(
      call("lead", "spawn", { agentId: "analyzer", task: "x", mode: "forever" }, agents),
    ).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
    await expect(call("lead", "erase", {}, agents)).rejects.toMatchObject({ code: "OC_ERR_BAD_REQUEST" });
    expect(calls).toEqual([]);
  });

  it("refuses an agent whose tools leave sessions_spawn out, whatever tool calls the service", async () => {
    const agents = { lead: { tools: ["read"], subagents: { allowAgents: ["analyzer"] } }, analyzer: {} };
    await expect(
      call("lead", "spawn", { agentId: "analyzer", task: "x", mode: "session" }, agents),
    ).rejects.toMatchObject({
      code: "OC_ERR_SUBAGENT",
      message: 'agent "lead" is not given the sessions_spawn tool',
    });
    await expect(call("ghost", "agents", {}, agents)).rejects.toMatchObject({ code: "OC_ERR_SUBAGENT" });
    expect(calls).toEqual([]);
  });
});
