import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";

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
    await waitFor(async () => (await agentIds(gateway)).includes("beta"));
    await writeFile(home.configPath, `{ agents: { beta: { systemPrompt: "changed" } } }`);
    await waitFor(async () => JSON.stringify(await agentIds(gateway)) === '["beta"]');
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
});
