import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

// OpenClaw's POST /tools/invoke: one of an agent's tools, run where the agent runs, by an operator.
describe("POST /tools/invoke", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome();
    const workspace = join(home.dir, "helper-workspace");
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, "notes.txt"), "the notes of helper\n");
    await writeFile(
      home.configPath,
      JSON.stringify({
        gateway: { auth: { mode: "none" } },
        agents: {
          helper: { model: "dev/echo", workspace, tools: ["echo", "read", "exec"] },
          bare: { model: "dev/echo", tools: ["current_time"] },
        },
      }),
    );
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  const invoke = async (body: unknown) => {
    const response = await fetch(`${gateway.url}/tools/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json", ...gateway.headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it("runs a tool of the default agent and answers { ok, result }", async () => {
    expect(await invoke({ tool: "echo", args: { text: "hello there" } })).toEqual({
      status: 200,
      body: { ok: true, result: "hello there" },
    });
  });

  it("runs the tool in the agent's own context: its workspace", async () => {
    const answer = await invoke({
      name: "read",
      tool: "ignored",
      args: { path: "notes.txt" },
      agentId: "helper",
    });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.result)).toContain("the notes of helper");
  });

  it("honours the agent's allow-list: a tool it is not given is a 404", async () => {
    const answer = await invoke({ tool: "echo", args: { text: "x" }, agentId: "bare" });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      ok: false,
      error: { type: "not_found", code: "OC_ERR_TOOL_NOT_FOUND" },
    });
    expect(answer.body.error.hint).toContain("current_time");
    expect((await invoke({ tool: "current_time", agentId: "bare" })).body.ok).toBe(true);
  });

  it("never runs exec over HTTP, even when the agent may", async () => {
    const answer = await invoke({ tool: "exec", args: { command: "touch pwned" }, agentId: "helper" });
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toContain("not invocable over HTTP");
  });

  it("answers a tool's refusal of its arguments with a 400", async () => {
    const answer = await invoke({ tool: "echo", args: { text: 42 } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ok: false, error: { code: "OC_ERR_TOOL_INPUT" } });
  });

  it("refuses a body without a tool, an unknown agent and a session of another agent", async () => {
    expect((await invoke({ args: {} })).status).toBe(400);
    expect((await invoke({ tool: "echo", agentId: "nobody" })).status).toBe(404);
    const conflict = await invoke({ tool: "echo", agentId: "helper", sessionKey: "agent:bare:main" });
    expect(conflict.status).toBe(400);
    expect(conflict.body.error.message).toContain('belongs to agent "bare"');
  });
});
