import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  REPO_ROOT,
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";

const SUMMARIZE_PLUGIN = join(REPO_ROOT, "examples/plugins/summarize-file.mjs");

interface AgentStatus {
  id: string;
  state: string;
  reason?: string;
}

async function agentsOf(gateway: RunningGateway): Promise<AgentStatus[]> {
  const response = await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers });
  return ((await response.json()) as { agents: AgentStatus[] }).agents;
}

// Issue 19: `tools: ["curent_time"]` was accepted (the agent got no tools), and a model
// `lcoal/x` passed validation while doctor exited 0 for the agent it left degraded.
describe("names in the config that must refer to something", () => {
  let home: TempHome;

  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(() => home.cleanup());

  it("config validate and the start refuse an unknown tool, with did-you-mean", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify(withTestAuth({ agents: { main: { tools: ["curent_time"] } } }), null, 2),
    );
    const validate = await runCli(["config", "validate"], home.env);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('agents.main.tools[0]: unknown tool "curent_time"');
    expect(validate.stderr).toContain('(did you mean "current_time"?)');
    const run = await runCli(["gateway", "run", "--port", "0"], home.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "current_time"');
  });

  it("config validate refuses a provider that is a typo of a configured one", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify({
        models: { providers: { local: { baseUrl: "http://127.0.0.1:9/v1" } } },
        agents: { main: { model: "lcoal/x" } },
      }),
    );
    const validate = await runCli(["config", "validate"], home.env);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('agents.main.model: model "lcoal/x" names provider "lcoal"');
    expect(validate.stderr).toContain('(did you mean "local/x"?)');
  });
});

describe("tool names at reload, and for an agent with plugins", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({
      agents: {
        main: { tools: ["current_time"] },
        plug: { plugins: [SUMMARIZE_PLUGIN], tools: ["summarize_fil", "echo"] },
      },
    });
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("degrades an agent whose tools name none of its plugins' tools, saying which was meant", async () => {
    const plug = (await agentsOf(gateway)).find((agent) => agent.id === "plug");
    expect(plug?.state).toBe("degraded");
    expect(plug?.reason).toContain('"summarize_fil" (did you mean "summarize_file"?)');
    expect((await agentsOf(gateway)).find((agent) => agent.id === "main")?.state).toBe("ready");
  });

  it("doctor fails on the degraded agent", async () => {
    const doctor = await runCli(["doctor"], home.env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /FAIL agent "plug" is degraded and refuses every turn: agents\.plug\.tools names/,
    );
    expect(doctor.stdout).toContain("openclaw agents restart plug");
  });

  it("rejects a reload that names an unknown tool and keeps the running config", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify(withTestAuth({ agents: { main: { tools: ["curent_time"] } } })),
    );
    await waitFor(() => gateway.output().includes("config change rejected"));
    expect(gateway.output()).toContain('did you mean \\"current_time\\"');
    expect((await agentsOf(gateway)).map((agent) => agent.id)).toEqual(["main", "plug"]);
  });
});
