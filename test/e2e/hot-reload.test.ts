import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sayInSession, toolResultOf } from "./chat-http.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

async function placements(gateway: RunningGateway): Promise<Record<string, string>> {
  const status = (await (
    await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers })
  ).json()) as { agents: { id: string; placement: string; state: string }[] };
  return Object.fromEntries(status.agents.map((agent) => [agent.id, `${agent.placement}/${agent.state}`]));
}

async function agentIds(gateway: RunningGateway): Promise<string[]> {
  const status = (await (
    await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers })
  ).json()) as {
    agents: { id: string }[];
  };
  return status.agents.map((agent) => agent.id);
}

// Done-when 3 (second half): a valid edit applies live, an invalid one leaves the gateway serving.
describe("config hot reload", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome(`{
  // first version
  agents: { alpha: { model: "dev/echo" } },
}`);
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("adds, changes and removes agents without a restart", async () => {
    expect(await agentIds(gateway)).toEqual(["alpha"]);
    await writeFile(
      home.configPath,
      `{ agents: { alpha: { model: "dev/echo" }, beta: { threadBound: true } } }`,
    );
    await waitFor(async () => (await placements(gateway)).beta === "thread/ready");
    expect(await placements(gateway)).toEqual({ alpha: "main/ready", beta: "thread/ready" });
    // beta leaves its thread for the main thread; alpha goes.
    await writeFile(home.configPath, `{ agents: { beta: { systemPrompt: "changed" } } }`);
    await waitFor(async () => JSON.stringify(await agentIds(gateway)) === '["beta"]');
    await waitFor(async () => (await placements(gateway)).beta === "main/ready");
  });

  it("rejects an invalid change, logs it, and keeps serving the running config", async () => {
    const before = await agentIds(gateway);
    await writeFile(home.configPath, `{ agents: { beta: { thredBound: true } } }`);
    await waitFor(() => gateway.output().includes("config change rejected"));
    expect(gateway.output()).toContain("thredBound");
    expect(await agentIds(gateway)).toEqual(before);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...gateway.headers },
      body: JSON.stringify({ model: "openclaw/beta", messages: [{ role: "user", content: "still there?" }] }),
    });
    expect(response.status).toBe(200);
    await writeFile(home.configPath, "{ agents: { beta: {, } }");
    await waitFor(() => gateway.output().split("config change rejected").length > 2);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  it("says which version runs: config.get and status give its hash, and tell a newer or invalid file apart", async () => {
    const configGet = async () => {
      const { client } = await TestWsClient.connect(gateway.url, { auth: { token: gateway.token } });
      const answer = await client.request("config.get");
      client.close();
      return answer.payload as {
        hash: string;
        valid: boolean;
        issues: unknown[];
        file: { hash: string; differs: boolean };
      };
    };
    await writeFile(home.configPath, `{ agents: { gamma: {} } }`);
    await waitFor(async () => (await agentIds(gateway)).includes("gamma"));
    const running = await configGet();
    expect(running).toMatchObject({ valid: true, file: { differs: false } });
    expect(running.file.hash).toBe(running.hash);

    await writeFile(home.configPath, `{ agents: { gamma: { thredBound: true } } }`);
    await waitFor(() => gateway.output().split("config change rejected").length > 3);
    const afterInvalid = await configGet();
    // The running version is still the one before; the file on disk is another, invalid one.
    expect(afterInvalid.hash).toBe(running.hash);
    expect(afterInvalid).toMatchObject({ valid: false, file: { differs: true } });
    expect(JSON.stringify(afterInvalid.issues)).toContain("thredBound");
    const status = (await (
      await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers })
    ).json()) as {
      config: { hash: string; file: { valid: boolean; differs: boolean } };
    };
    expect(status.config).toMatchObject({ hash: running.hash, file: { valid: false, differs: true } });
  });
});

// The running parts follow a config in start order: an agent a reload adds has its thread, and
// then memory watches and indexes its workspace (before, only the agents followed a reload).
describe("config hot reload, followed by every running part", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome(`{ agents: { alpha: {} } }`);
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("indexes the workspace memory of an agent the reload added", async () => {
    const workspace = join(home.stateDir, "workspace", "late");
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, "MEMORY.md"), "# Notes\n\nThe backup host is called juniper.\n");
    await writeFile(home.configPath, `{ agents: { alpha: {}, late: { threadBound: true } } }`);
    await waitFor(async () => (await placements(gateway)).late === "thread/ready");
    const search = async () =>
      toolResultOf(
        await sayInSession(gateway.url, "agent:late:notes", '/tool memory_search {"query":"backup host"}'),
        "memory_search",
      ).results as { file?: string }[];
    await waitFor(async () => (await search()).length > 0, 5_000);
    expect((await search())[0]).toMatchObject({ file: "MEMORY.md" });
  });
});
