import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentStatus, chat, sayInSession, toolResultOf } from "./chat-http.js";
import { REPO_ROOT, useGateway } from "./harness.js";

// The README's research corps example, run as shipped: a lead agent delegating to three
// thread-bound subagents through the agents_spawn / agents_wait tools.
describe("subagents: the research corps example", () => {
  const running = useGateway(undefined, (home) => {
    home.env.OPENCLAW_CONFIG_PATH = join(REPO_ROOT, "examples/research-corps.json5");
  });

  it("runs every member in its own thread", async () => {
    const ids = ["lead", "collector", "analyzer", "visualizer"];
    const agents = await Promise.all(ids.map((id) => agentStatus(running.url, id)));
    expect(agents.map((agent) => agent.placement)).toEqual(["thread", "thread", "thread", "thread"]);
    expect(new Set(agents.map((agent) => agent.threadId)).size).toBe(4);
  });

  it("delegates a task and gets the subagent's answer back in the same turn", async () => {
    const reply = await chat(
      running.url,
      "lead",
      '/tool agents_spawn {"agentId":"analyzer","task":"crunch the numbers"}',
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/^Tool agents_spawn returned: /);
    const result = JSON.parse((reply.text as string).replace("Tool agents_spawn returned: ", ""));
    expect(result).toMatchObject({
      agentId: "analyzer",
      status: "done",
      text: "You said: crunch the numbers",
    });
    expect((await agentStatus(running.url, "analyzer")).turnsInFlight).toBe(0);
  });

  it("starts a run without waiting, for the lead to collect later", async () => {
    const reply = await chat(
      running.url,
      "lead",
      '/tool agents_spawn {"agentId":"visualizer","task":"draw it","wait":false}',
    );
    const result = JSON.parse((reply.text as string).replace("Tool agents_spawn returned: ", ""));
    expect(result).toMatchObject({ agentId: "visualizer", status: "started", runId: expect.any(String) });
  });

  // Issue 19: agents_wait in a later turn failed ("no subagent run … was started by this turn").
  it("collects a run spawned without waiting in a later turn of the same session only", async () => {
    const session = "agent:lead:later-wait";
    const spawned = toolResultOf(
      await sayInSession(
        running.url,
        session,
        '/tool agents_spawn {"agentId":"visualizer","task":"chart it","wait":false}',
      ),
      "agents_spawn",
    );
    expect(spawned).toMatchObject({ status: "started", runId: expect.any(String) });
    const wait = `/tool agents_wait ${JSON.stringify({ runId: spawned.runId })}`;
    expect(toolResultOf(await sayInSession(running.url, session, wait), "agents_wait")).toEqual({
      runId: spawned.runId,
      agentId: "visualizer",
      status: "done",
      text: "You said: chart it",
    });
    const elsewhere = await sayInSession(running.url, "agent:lead:another-session", wait);
    expect(elsewhere).toMatch(/^Tool agents_wait failed: no subagent run ".*" was started in this session/);
  });

  it("refuses a target outside the allow-list and delegation beyond maxDepth", async () => {
    const outside = await chat(running.url, "lead", '/tool agents_spawn {"agentId":"lead","task":"loop"}');
    expect(outside.text).toMatch(/^Tool agents_spawn failed: .*not a delegation target/);
    const leaf = await chat(running.url, "analyzer", '/tool agents_spawn {"agentId":"collector","task":"x"}');
    expect(leaf.text).toMatch(/Unknown tool "agents_spawn"/);
  });

  it("gives the collector its plugin, loaded in its own thread", async () => {
    // The plugin reads through the confined context.files: a file of the collector's workspace.
    const notes = JSON.stringify({ path: "README.md", content: "# OpenClaw gateway\n\nfield notes\n" });
    expect((await chat(running.url, "collector", `/tool write ${notes}`)).status).toBe(200);
    const reply = await chat(running.url, "collector", '/tool summarize_file {"path":"README.md"}');
    expect(reply.text).toMatch(/^Tool summarize_file returned: .*"headings":\[.*OpenClaw gateway/);
  });
});
