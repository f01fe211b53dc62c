import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, type TempHome, tempHome } from "./harness.js";

// Done-when 4: start returns promptly once the gateway answers; stop, status, double start.
describe("openclaw gateway start | status | stop", () => {
  let home: TempHome;

  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await runCli(["gateway", "stop"], home.env);
    await home.cleanup();
  });

  it("runs the whole background lifecycle", async () => {
    const started = await runCli(["gateway", "start", "--port", "0"], home.env);
    const returnedAt = Date.now();
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/gateway started \(pid \d+\) at http:\/\/127\.0\.0\.1:\d+/);
    expect(started.stdout).toContain("log: ");
    const url = /at (http:\/\/\S+)/.exec(started.stdout)?.[1] as string;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    // "Returns within 2 s of the gateway answering": from the moment the server listened to the
    // moment the CLI process had exited.
    const state = JSON.parse(await readFile(join(home.stateDir, "gateway.json"), "utf8")) as {
      listeningAt: number;
    };
    expect(returnedAt - state.listeningAt).toBeLessThan(2000);

    const status = await runCli(["gateway", "status"], home.env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running`);
    expect(status.stdout).toContain("main");

    const again = await runCli(["gateway", "start", "--port", "0"], home.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running/);

    const overall = await runCli(["status"], home.env);
    expect(overall.stdout).toContain("gateway: running");

    const stopped = await runCli(["gateway", "stop"], home.env);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/gateway stopped/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    const after = await runCli(["gateway", "status"], home.env);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain("not running");
    expect(await readdir(home.stateDir)).not.toContain("gateway.json");
  });

  it("refuses to start on an invalid config with exit code 2 and the path", async () => {
    const bad = await tempHome(`{ gateway: { port: "eighty" } }`);
    try {
      const result = await runCli(["gateway", "start"], bad.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("gateway.port");
    } finally {
      await bad.cleanup();
    }
  });
});

describe("openclaw config", () => {
  it("validates each seed example verbatim", async () => {
    const fixtures = join(REPO_ROOT, "test/fixtures/seed");
    const files = (await readdir(fixtures)).filter((name) => name.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const home = await tempHome();
      const result = await runCli(["config", "validate", "--config", join(fixtures, file)], home.env);
      await home.cleanup();
      expect(result.stderr, file).toBe("");
      expect(result.code, file).toBe(0);
    }
  });

  it("gets and sets values and prints the schema", async () => {
    const home = await tempHome(`{
  // keep this comment
  gateway: { port: 18789 },
  models: { providers: { openai: { apiKey: "sk-test-not-a-real-key" } } },
}`);
    try {
      expect((await runCli(["config", "get", "gateway.port"], home.env)).stdout.trim()).toBe("18789");
      const set = await runCli(["config", "set", "gateway.port", "18790"], home.env);
      expect(set.code).toBe(0);
      expect((await runCli(["config", "get", "gateway.port"], home.env)).stdout.trim()).toBe("18790");
      expect(await readFile(home.configPath, "utf8")).toContain("// keep this comment");
      const secret = await runCli(["config", "get", "models"], home.env);
      expect(secret.stdout).not.toContain("sk-test-not-a-real-key");
      const refused = await runCli(["config", "set", "gateway.port", "99999"], home.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("gateway.port");
      const schema = await runCli(["config", "schema"], home.env);
      const parsed = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
      expect(Object.keys(parsed.properties)).toEqual(
        expect.arrayContaining(["gateway", "agents", "externalSecrets"]),
      );
    } finally {
      await home.cleanup();
    }
  });

  // Issue 19: help said ~/.openclaw/openclaw.json while OPENCLAW_STATE_DIR moved the default.
  it("names the default config file the environment gives in --help", async () => {
    const home = await tempHome();
    const env = { ...home.env };
    delete env.OPENCLAW_CONFIG_PATH;
    const help = await runCli(["--help"], env);
    await home.cleanup();
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).toContain(`here: ${join(home.stateDir, "openclaw.json")})`);
    expect(text).toContain("openclaw.json in $OPENCLAW_STATE_DIR");
  });

  it("exits 2 on a usage error", async () => {
    const home = await tempHome();
    const result = await runCli(["gateway", "frobnicate"], home.env);
    await home.cleanup();
    expect(result.code).toBe(2);
  });
});
