import { mkdir, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runCli, startGateway, tempHome } from "./harness.js";

// `openclaw --config <file> <command>` takes the fast path (src/cli/fast-path.ts), and
// `openclaw <command> --config <file>` goes through commander: both must print and exit alike.
async function bothWays(command: string[], configPath: string, env: NodeJS.ProcessEnv) {
  const fast = await runCli(["--config", configPath, ...command], env);
  const commander = await runCli([...command, "--config", configPath], env);
  return { fast, commander };
}

function same(result: Awaited<ReturnType<typeof bothWays>>) {
  const pick = ({ code, stdout, stderr }: { code: number | null; stdout: string; stderr: string }) => ({
    code,
    stdout,
    stderr,
  });
  expect(pick(result.fast)).toEqual(pick(result.commander));
}

// Some twenty CLI runs per test: more than the default timeout allows on a busy two-core machine.
describe("the fast path answers as commander's path does", { timeout: 180_000 }, () => {
  it("with no gateway, for a valid config, an invalid one and a missing one", async () => {
    const home = await tempHome(`{ gateway: { port: 18791, auth: { mode: "none" } } }`);
    await mkdir(home.stateDir, { recursive: true });
    try {
      for (const command of [
        ["gateway", "status"],
        ["gateway", "status", "--json"],
        ["gateway", "token"],
        ["config", "get", "gateway.port"],
        ["config", "get"],
        ["config", "get", "gateway.nope"],
      ]) {
        const result = await bothWays(command, home.configPath, home.env);
        same(result);
      }
      const port = await bothWays(["config", "get", "gateway.port"], home.configPath, home.env);
      expect(port.fast).toMatchObject({ code: 0, stdout: "18791\n" });
      const status = await bothWays(["gateway", "status"], home.configPath, home.env);
      expect(status.fast).toMatchObject({ code: 1, stdout: "gateway: not running\n" });

      await writeFile(home.configPath, `{ gateway: { port: "x" } }`);
      for (const command of [
        ["gateway", "token"],
        ["config", "get", "gateway.port"],
      ]) {
        const result = await bothWays(command, home.configPath, home.env);
        same(result);
        expect(result.fast.code).toBe(2);
        expect(result.fast.stderr).toContain("OC_ERR_CONFIG_INVALID");
      }
      const missing = await bothWays(["config", "get", "gateway.port"], `${home.dir}/none.json`, home.env);
      same(missing);
      expect(missing.fast.stdout).toBe("18789\n");
    } finally {
      await home.cleanup();
    }
  });

  it("with a gateway running", async () => {
    const home = await tempHome({ gateway: { auth: { mode: "token" } } });
    const gateway = await startGateway(home);
    try {
      const { configPath, env } = home;
      const token = await bothWays(["gateway", "token"], configPath, env);
      same(token);
      expect(token.fast.code).toBe(0);
      expect(token.fast.stdout.trim().length).toBeGreaterThan(20);
      const port = await bothWays(["config", "get", "gateway.port"], configPath, env);
      same(port);
      expect(port.fast.stdout).toBe(`${gateway.port}\n`);
      const status = await runCli(["gateway", "status", "--json"], env);
      const viaCommander = await runCli(["gateway", "status", "--json", "--config", configPath], env);
      expect(status.code).toBe(0);
      expect(viaCommander.code).toBe(0);
      const fields = (stdout: string) => {
        const { running, pid, url } = JSON.parse(stdout) as { running: boolean; pid: number; url: string };
        return { running, pid, url };
      };
      expect(fields(status.stdout)).toEqual(fields(viaCommander.stdout));
      expect(fields(status.stdout)).toMatchObject({ running: true, pid: gateway.process.pid });
    } finally {
      await gateway.stop();
      await home.cleanup();
    }
  });
});
