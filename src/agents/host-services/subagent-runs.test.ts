import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { SubagentRuns, subagentsService } from "./subagent-runs.js";

const signal = new AbortController().signal;

describe("SubagentRuns", () => {
  it("gives a later turn of the same session the run's answer, and no other session", async () => {
    const runs = new SubagentRuns();
    runs.record("agent:lead:a", "run-1", "visualizer", Promise.resolve("a chart"));
    await expect(runs.wait("agent:lead:a", "run-1", signal)).resolves.toEqual({
      runId: "run-1",
      agentId: "visualizer",
      status: "done",
      text: "a chart",
    });
    await expect(runs.wait("agent:lead:b", "run-1", signal)).rejects.toMatchObject({
      code: "OC_ERR_SUBAGENT",
      message: 'no subagent run "run-1" was started in this session',
    });
  });

  it("passes the run's failure on, and forgets the oldest runs beyond its capacity", async () => {
    const runs = new SubagentRuns(2);
    runs.record("s", "failed", "x", Promise.reject(new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "down")));
    await expect(runs.wait("s", "failed", signal)).rejects.toMatchObject({
      code: "OC_ERR_AGENT_UNAVAILABLE",
    });
    runs.record("s", "second", "x", Promise.resolve("2"));
    runs.record("s", "third", "x", Promise.resolve("3"));
    await expect(runs.wait("s", "failed", signal)).rejects.toMatchObject({ code: "OC_ERR_SUBAGENT" });
    await expect(runs.wait("s", "third", signal)).resolves.toMatchObject({ text: "3" });
  });

  it("serves only `wait` with a runId, for the caller's own session", async () => {
    const runs = new SubagentRuns();
    runs.record("mine", "r", "x", Promise.resolve("ok"));
    const service = subagentsService(runs);
    const call = { agentId: "lead", sessionKey: "mine", signal };
    await expect(service({ ...call, operation: "wait", input: { runId: "r" } })).resolves.toMatchObject({
      text: "ok",
    });
    expect(() => service({ ...call, operation: "list", input: {} })).toThrow(/takes "wait"/);
    await expect(
      service({ ...call, sessionKey: "theirs", operation: "wait", input: { runId: "r" } }),
    ).rejects.toMatchObject({ code: "OC_ERR_SUBAGENT" });
  });
});
