import { describe, expect, it } from "vitest";
import { selectTools } from "./index.js";
import {
  agentsListTool,
  agentsSpawnTool,
  SESSIONS_SERVICE,
  sessionsSpawnTool,
} from "./sessions-spawn-tool.js";
import type { SubagentAccess, Tool, ToolContext } from "./tool.js";
import { applyToolPolicy } from "./tool-policy.js";

/** A context whose host records each call and whose subagents answer at once. */
function context() {
  const hostCalls: { service: string; operation: string; input: unknown }[] = [];
  const spawns: { agentId: string; task: string; wait: boolean }[] = [];
  const subagents: SubagentAccess = {
    targets: () => ["analyzer"],
    spawn: async (request) => {
      spawns.push(request);
      return { runId: "r1", agentId: request.agentId, status: "done", text: `did ${request.task}` };
    },
    wait: async () => {
      throw new Error("unused");
    },
  };
  const value: ToolContext = {
    agentId: "lead",
    sessionKey: "agent:lead:telegram:direct:42",
    signal: new AbortController().signal,
    subagents,
    host: {
      call: async (service, operation, input) => {
        hostCalls.push({ service, operation, input });
        return operation === "agents"
          ? [{ id: "analyzer", model: "dev/echo", threadBound: true }]
          : { status: "bound" };
      },
    },
  };
  return { value, hostCalls, spawns };
}

describe("sessions_spawn and its alias agents_spawn", () => {
  it.each([sessionsSpawnTool, agentsSpawnTool])(
    "$name without thread delegates and returns the answer",
    async (tool) => {
      const { value, hostCalls, spawns } = context();
      await expect(tool.execute({ agentId: "analyzer", task: "count" }, value)).resolves.toMatchObject({
        status: "done",
        text: "did count",
      });
      expect(spawns).toEqual([{ agentId: "analyzer", task: "count", wait: true }]);
      expect(hostCalls).toEqual([]);
    },
  );

  it("with thread asks the gateway's sessions service, naming no conversation", async () => {
    const { value, hostCalls, spawns } = context();
    await expect(
      sessionsSpawnTool.execute(
        { agentId: "analyzer", task: "watch", thread: true, label: "watcher" },
        value,
      ),
    ).resolves.toEqual({ status: "bound" });
    await agentsSpawnTool.execute({ agentId: "analyzer", task: "once", thread: true, mode: "run" }, value);
    expect(hostCalls).toEqual([
      {
        service: SESSIONS_SERVICE,
        operation: "spawn",
        input: { agentId: "analyzer", task: "watch", mode: "session", label: "watcher" },
      },
      {
        service: SESSIONS_SERVICE,
        operation: "spawn",
        input: { agentId: "analyzer", task: "once", mode: "run" },
      },
    ]);
    expect(spawns).toEqual([]);
  });

  it("refuses bad arguments before anything runs, and mode session without thread", async () => {
    const { value, hostCalls, spawns } = context();
    for (const input of [
      { agentId: "", task: "x" },
      { agentId: "analyzer" },
      { agentId: "analyzer", task: "x", thread: "yes" },
      { agentId: "analyzer", task: "x", thread: true, mode: "forever" },
      { agentId: "analyzer", task: "x", thread: true, label: 7 },
      // A model naming a conversation is refused: the gateway binds the turn's own.
      {
        agentId: "analyzer",
        task: "x",
        thread: true,
        channel: "telegram",
        peer: { kind: "direct", id: "7" },
      },
    ]) {
      await expect(sessionsSpawnTool.execute(input, value)).rejects.toThrow(/sessions_spawn/);
    }
    await expect(
      sessionsSpawnTool.execute({ agentId: "analyzer", task: "x", mode: "session" }, value),
    ).rejects.toMatchObject({
      code: "OC_ERR_SUBAGENT",
      message: expect.stringContaining('mode "session" needs thread: true'),
    });
    expect([...hostCalls, ...spawns]).toEqual([]);
  });

  it("agents_list answers what the gateway lists for this turn", async () => {
    const { value, hostCalls } = context();
    await expect(agentsListTool.execute({}, value)).resolves.toEqual({
      agents: [{ id: "analyzer", model: "dev/echo", threadBound: true }],
    });
    expect(hostCalls).toEqual([{ service: SESSIONS_SERVICE, operation: "agents", input: {} }]);
  });

  it("is selected or denied under either name by allow-lists and policies", () => {
    const tools = [sessionsSpawnTool, agentsSpawnTool, agentsListTool] as Tool[];
    const names = (selected: Tool[]) => selected.map((tool) => tool.name);
    expect(names(selectTools(["agents_spawn"], tools))).toEqual(["sessions_spawn", "agents_spawn"]);
    expect(names(applyToolPolicy({ allow: ["sessions_spawn"] }, tools))).toEqual([
      "sessions_spawn",
      "agents_spawn",
    ]);
    expect(names(applyToolPolicy({ deny: ["agents_spawn"] }, tools))).toEqual(["agents_list"]);
    expect(names(applyToolPolicy({ allow: ["group:agents"] }, tools))).toEqual(["agents_list"]);
  });
});
