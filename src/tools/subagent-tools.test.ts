import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenClawError } from "../errors.js";
import { SUBAGENT_TOOLS } from "./sessions-spawn-tool.js";
import { createSubagentAccess, type SubagentRunRequest } from "./subagent-tools.js";
import { type SubagentAccess, type ToolContext, ToolInputError } from "./tool.js";

interface Deferred {
  resolve(text: string): void;
  reject(error: unknown): void;
}

/** A fake host: records every run and lets the test settle each one when it chooses. */
function fakeHost() {
  const requests: SubagentRunRequest[] = [];
  const pending = new Map<string, Deferred>();
  const run = vi.fn((request: SubagentRunRequest) => {
    const runId = `run-${requests.push(request)}`;
    const result = new Promise<string>((resolve, reject) => pending.set(runId, { resolve, reject }));
    return { runId, result };
  });
  return { requests, pending, run };
}

/** A host whose subagents answer at once with a text derived from the task. */
const answeringRun = (request: SubagentRunRequest) => ({
  runId: `run-${request.agentId}-${request.task}`,
  result: Promise.resolve(`${request.agentId} did: ${request.task}`),
});

function access(overrides: Partial<Parameters<typeof createSubagentAccess>[0]> = {}): SubagentAccess {
  return createSubagentAccess({
    allowedTargets: ["researcher", "coder"],
    depth: 0,
    maxDepth: 2,
    maxFanOut: 3,
    signal: new AbortController().signal,
    run: answeringRun,
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<OpenClawError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(OpenClawError);
  const typed = error as OpenClawError;
  expect(typed.code).toBe("OC_ERR_SUBAGENT");
  expect(typed.hint).toBeTruthy();
  return typed;
}

describe("createSubagentAccess", () => {
  it("lists its allowed targets", () => {
    expect(access().targets()).toEqual(["researcher", "coder"]);
  });

  it("runs an allowed target one level deeper and waits for its answer", async () => {
    const host = fakeHost();
    const subagents = access({ depth: 1, run: host.run });
    const spawned = subagents.spawn({ agentId: "coder", task: "write tests", wait: true });
    expect(host.requests).toEqual([{ agentId: "coder", task: "write tests", depth: 2 }]);
    host.pending.get("run-1")!.resolve("tests written");
    await expect(spawned).resolves.toEqual({
      runId: "run-1",
      agentId: "coder",
      status: "done",
      text: "tests written",
    });
  });

  it("returns at once without wait, and wait(runId) collects the answer later", async () => {
    const host = fakeHost();
    const subagents = access({ run: host.run });
    const first = await subagents.spawn({ agentId: "researcher", task: "a", wait: false });
    const second = await subagents.spawn({ agentId: "coder", task: "b", wait: false });
    expect(first).toEqual({ runId: "run-1", agentId: "researcher", status: "started" });
    expect(second).toEqual({ runId: "run-2", agentId: "coder", status: "started" });
    host.pending.get("run-2")!.resolve("answer b");
    host.pending.get("run-1")!.resolve("answer a");
    await expect(subagents.wait("run-1")).resolves.toEqual({
      runId: "run-1",
      agentId: "researcher",
      status: "done",
      text: "answer a",
    });
    await expect(subagents.wait("run-2")).resolves.toMatchObject({ text: "answer b" });
    // Waiting twice for the same run is harmless.
    await expect(subagents.wait("run-2")).resolves.toMatchObject({ text: "answer b" });
  });

  it("passes a subagent's failure to whoever waits for it", async () => {
    const host = fakeHost();
    const subagents = access({ run: host.run });
    const spawned = subagents.spawn({ agentId: "coder", task: "x", wait: true });
    host.pending.get("run-1")!.reject(new Error("subagent crashed"));
    await expect(spawned).rejects.toThrow("subagent crashed");
  });

  it("refuses a target outside the allow-list and names the allowed ones", async () => {
    const host = fakeHost();
    const error = await refusal(access({ run: host.run }).spawn({ agentId: "admin", task: "x", wait: true }));
    expect(error.message).toMatch(/"admin" is not a delegation target/);
    expect(error.message).toContain("researcher, coder");
    expect(host.run).not.toHaveBeenCalled();
  });

  it("refuses every target when none is allowed", async () => {
    const error = await refusal(
      access({ allowedTargets: [] }).spawn({ agentId: "coder", task: "x", wait: true }),
    );
    expect(error.message).toContain("allowed: none");
  });

  it("refuses to delegate past the depth limit", async () => {
    const host = fakeHost();
    const error = await refusal(
      access({ depth: 2, maxDepth: 2, run: host.run }).spawn({ agentId: "coder", task: "x", wait: true }),
    );
    expect(error.message).toMatch(/delegation depth limit/);
    expect(host.run).not.toHaveBeenCalled();
    const none = await refusal(access({ maxDepth: 0 }).spawn({ agentId: "coder", task: "x", wait: true }));
    expect(none.message).toMatch(/delegation depth limit/);
  });

  it("refuses more spawns than the fan-out limit within one access object", async () => {
    const host = fakeHost();
    const subagents = access({ maxFanOut: 2, run: host.run });
    await subagents.spawn({ agentId: "coder", task: "1", wait: false });
    await subagents.spawn({ agentId: "coder", task: "2", wait: false });
    const error = await refusal(subagents.spawn({ agentId: "coder", task: "3", wait: false }));
    expect(error.message).toMatch(/fan-out limit/);
    expect(host.run).toHaveBeenCalledTimes(2);
    // The limit is per turn: a fresh access object starts from zero.
    await expect(
      access({ maxFanOut: 2 }).spawn({ agentId: "coder", task: "4", wait: true }),
    ).resolves.toMatchObject({
      status: "done",
    });
  });

  it("does not count refused spawns against the fan-out limit", async () => {
    const subagents = access({ maxFanOut: 1 });
    await refusal(subagents.spawn({ agentId: "admin", task: "x", wait: true }));
    await expect(subagents.spawn({ agentId: "coder", task: "x", wait: true })).resolves.toMatchObject({
      status: "done",
    });
  });

  it("refuses an empty task", async () => {
    const host = fakeHost();
    const error = await refusal(
      access({ run: host.run }).spawn({ agentId: "coder", task: "  \n", wait: true }),
    );
    expect(error.message).toMatch(/must not be empty/);
    expect(host.run).not.toHaveBeenCalled();
  });

  it("refuses to wait for a run it did not start", async () => {
    const error = await refusal(access().wait("run-elsewhere"));
    expect(error.message).toContain('"run-elsewhere"');
  });

  it("asks the gateway for a run it did not start, when the gateway keeps earlier turns' runs", async () => {
    const waitEarlier = vi.fn(async (runId: string) => ({
      runId,
      agentId: "coder",
      status: "done" as const,
      text: "from an earlier turn",
    }));
    const subagents = access({ waitEarlier });
    await expect(subagents.wait("run-earlier")).resolves.toMatchObject({ text: "from an earlier turn" });
    expect(waitEarlier).toHaveBeenCalledWith("run-earlier");
    // Its own runs it still answers itself.
    const own = await subagents.spawn({ agentId: "coder", task: "t", wait: false });
    await subagents.wait(own.runId);
    expect(waitEarlier).toHaveBeenCalledTimes(1);
  });

  it("rejects pending waits with the signal's reason when the turn aborts", async () => {
    const host = fakeHost();
    const controller = new AbortController();
    const subagents = access({ run: host.run, signal: controller.signal });
    const waiting = subagents.spawn({ agentId: "coder", task: "slow", wait: true });
    await subagents.spawn({ agentId: "researcher", task: "slow too", wait: false });
    const waitingLater = subagents.wait("run-2");
    const reason = new Error("turn cancelled");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(waitingLater).rejects.toBe(reason);
    // After the abort, nothing new starts and nothing waits.
    await expect(subagents.wait("run-1")).rejects.toBe(reason);
    await expect(subagents.spawn({ agentId: "coder", task: "more", wait: true })).rejects.toBe(reason);
    expect(host.run).toHaveBeenCalledTimes(2);
  });

  describe("unawaited failures", () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    afterEach(() => {
      process.off("unhandledRejection", onUnhandled);
    });

    it("do not become unhandled rejections", async () => {
      process.on("unhandledRejection", onUnhandled);
      const host = fakeHost();
      const controller = new AbortController();
      const subagents = access({ run: host.run, signal: controller.signal });
      await subagents.spawn({ agentId: "coder", task: "never awaited", wait: false });
      const waiting = subagents.spawn({ agentId: "coder", task: "aborted", wait: true });
      controller.abort(new Error("stop"));
      await expect(waiting).rejects.toThrow("stop");
      host.pending.get("run-1")!.reject(new Error("late failure"));
      host.pending.get("run-2")!.reject(new Error("late failure after abort"));
      // Node reports unhandled rejections once the microtask queue is empty: one macrotask later.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    });
  });
});

describe("SUBAGENT_TOOLS", () => {
  const [spawnTool, waitTool] = SUBAGENT_TOOLS;
  const contextWith = (subagents?: SubagentAccess): ToolContext => ({
    agentId: "main",
    sessionKey: "main:test",
    signal: new AbortController().signal,
    ...(subagents ? { subagents } : {}),
  });

  it("are agents_spawn, agents_wait, sessions_spawn (agents_spawn's OpenClaw name) and agents_list", () => {
    expect(SUBAGENT_TOOLS.map((tool) => tool.name)).toEqual([
      "agents_spawn",
      "agents_wait",
      "sessions_spawn",
      "agents_list",
    ]);
    for (const tool of SUBAGENT_TOOLS) {
      expect(tool.parameters.type).toBe("object");
      expect(tool.description.length).toBeGreaterThan(40);
    }
  });

  it("agents_spawn waits by default and returns the subagent's answer", async () => {
    const result = await spawnTool!.execute({ agentId: "coder", task: "fix it" }, contextWith(access()));
    expect(result).toEqual({
      runId: "run-coder-fix it",
      agentId: "coder",
      status: "done",
      text: "coder did: fix it",
    });
  });

  it("agents_spawn with wait false and agents_wait collect the answer", async () => {
    const context = contextWith(access());
    const started = (await spawnTool!.execute(
      { agentId: "researcher", task: "look", wait: false },
      context,
    )) as {
      runId: string;
      status: string;
    };
    expect(started.status).toBe("started");
    await expect(waitTool!.execute({ runId: started.runId }, context)).resolves.toMatchObject({
      status: "done",
      text: "researcher did: look",
    });
  });

  it("refuse when this agent may not delegate", async () => {
    await expect(spawnTool!.execute({ agentId: "coder", task: "x" }, contextWith())).rejects.toThrow(
      /this agent may not delegate/,
    );
    await expect(waitTool!.execute({ runId: "run-1" }, contextWith())).rejects.toThrow(
      /this agent may not delegate/,
    );
  });

  it.each([
    ["a non-object", "coder"],
    ["a missing agentId", { task: "x" }],
    ["an empty agentId", { agentId: "", task: "x" }],
    ["a non-string task", { agentId: "coder", task: 3 }],
    ["a non-boolean wait", { agentId: "coder", task: "x", wait: "yes" }],
  ])("agents_spawn refuses %s", async (_label, input) => {
    await expect(spawnTool!.execute(input, contextWith(access()))).rejects.toBeInstanceOf(ToolInputError);
  });

  it.each([
    ["a non-object", null],
    ["a missing runId", {}],
    ["a non-string runId", { runId: 7 }],
  ])("agents_wait refuses %s", async (_label, input) => {
    await expect(waitTool!.execute(input, contextWith(access()))).rejects.toBeInstanceOf(ToolInputError);
  });

  it("pass refusals from the access object through to the model", async () => {
    await expect(spawnTool!.execute({ agentId: "admin", task: "x" }, contextWith(access()))).rejects.toThrow(
      /not a delegation target/,
    );
    await expect(waitTool!.execute({ runId: "unknown" }, contextWith(access()))).rejects.toThrow(
      /no subagent run "unknown"/,
    );
  });
});
