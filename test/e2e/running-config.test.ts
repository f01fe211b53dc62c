import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type TempHome, tempHome, withTestAuth } from "./harness.js";

// Issue 19: status, config get and doctor described the CLI's default file while the gateway
// ran on another one (`config get gateway.port` → 18789 while it listened elsewhere).
describe("the CLI describes the running gateway's config", () => {
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  let started: string;
  let fileA: string;
  let fileB: string;

  beforeAll(async () => {
    home = await tempHome();
    // As a newcomer runs it: no OPENCLAW_CONFIG_PATH, the file given to `gateway start` only.
    env = { ...home.env };
    delete env.OPENCLAW_CONFIG_PATH;
    fileA = join(home.dir, "a.json");
    fileB = join(home.dir, "b.json");
    await writeFile(fileA, JSON.stringify(withTestAuth({ gateway: { port: 18789 }, agents: { alpha: {} } })));
    await writeFile(fileB, JSON.stringify(withTestAuth({ agents: { beta: {} } })));
    const start = await runCli(["gateway", "start", "--port", "0", "--config", fileA], env);
    expect(start.code, start.stderr).toBe(0);
    started = start.stdout;
  }, 60_000);
  afterAll(async () => {
    await runCli(["gateway", "stop"], env);
    await home.cleanup();
  });

  it("status names the running gateway's file", async () => {
    const status = await runCli(["status"], env);
    expect(status.stdout).toContain(`config: ${fileA} (used by the running gateway)`);
    expect(status.stdout).toMatch(/^alpha\s+ready/m);
    const other = await runCli(["status", "--config", fileB], env);
    expect(other.stdout).toContain(`uses ${fileA}, not ${fileB}`);
  });

  it("config get reads the running gateway's file and prints the port it really listens on", async () => {
    const port = /at http:\/\/127\.0\.0\.1:(\d+)/.exec(started)?.[1];
    expect(port).toBeDefined();
    const got = await runCli(["config", "get", "gateway.port"], env);
    expect(got.code).toBe(0);
    expect(got.stdout.trim()).toBe(port);
    expect(got.stderr).toContain(`listens on gateway.port ${port}; ${fileA} says 18789`);
    const agents = await runCli(["config", "get", "agents"], env);
    expect(Object.keys(JSON.parse(agents.stdout) as object)).toContain("alpha");
  });

  it("config validate and set act on the running gateway's file, and note another one", async () => {
    const validate = await runCli(["config", "validate"], env);
    expect(validate.stdout).toContain(`config valid: ${fileA}`);
    const other = await runCli(["config", "validate", "--config", fileB], env);
    expect(other.stdout).toContain(`config valid: ${fileB}`);
    expect(other.stderr).toContain(`uses ${fileA}, not ${fileB}`);
    const set = await runCli(["config", "set", "agents.alpha.systemPrompt", "terse"], env);
    expect(set.stdout).toContain(`set agents.alpha.systemPrompt in ${fileA}`);
    expect(await readFile(fileA, "utf8")).toContain("terse");
  });

  it("doctor --config checks that file and says the gateway runs another", async () => {
    const doctor = await runCli(["doctor", "--config", fileB], env);
    expect(doctor.stdout).toContain(`config ${fileB} is valid`);
    expect(doctor.stdout).toMatch(/warn the running gateway \(pid \d+\) uses .*a\.json, not .*b\.json/);
    const plain = await runCli(["doctor"], env);
    expect(plain.stdout).toContain(`config ${fileA} is valid`);
    expect(plain.stdout).not.toContain("the running gateway (pid");
  });
});
