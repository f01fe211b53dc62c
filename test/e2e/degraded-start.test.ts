import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type TempHome, tempHome } from "./harness.js";

// Issue 19: "gateway started" alone hid an agent that refuses every turn (its secret is missing).
describe("gateway start with a degraded agent", () => {
  let home: TempHome;

  beforeAll(async () => {
    home = await tempHome({
      externalSecrets: { "openai-api-key": { source: "env", key: "OPENCLAW_TEST_NEVER_SET" } },
      agents: { needy: { model: "openai/gpt-4o" }, main: {} },
    });
    delete home.env.OPENCLAW_TEST_NEVER_SET;
  });
  afterAll(async () => {
    await runCli(["gateway", "stop"], home.env);
    await home.cleanup();
  });

  it("names the degraded agent and why at start, and agents list shows it as LAST ERROR", async () => {
    const started = await runCli(["gateway", "start", "--port", "0"], home.env);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/gateway started \(pid \d+\) at \S+, with degraded agents/);
    expect(started.stdout).toMatch(/agent needy: .*OPENCLAW_TEST_NEVER_SET is not set/);
    expect(started.stdout).toContain("fix: set OPENCLAW_TEST_NEVER_SET");
    expect(started.stdout).not.toMatch(/agent main:/);

    const listed = await runCli(["agents", "list"], home.env);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split("\n").find((line) => line.startsWith("needy "));
    expect(row).toMatch(/degraded .*OPENCLAW_TEST_NEVER_SET is not set/);
    const json = JSON.parse((await runCli(["agents", "list", "--json"], home.env)).stdout) as {
      id: string;
      lastError?: string;
    }[];
    expect(json.find((agent) => agent.id === "main")?.lastError).toBeUndefined();
  });
});
