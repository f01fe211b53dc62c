import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type TempHome, tempHome } from "./harness.js";

// Issue 19: without Docker, `sandbox list` printed `connect ENOENT /var/run/docker.sock
// [OC_ERR_INTERNAL]` and no fix.
describe("sandbox commands without a reachable Docker engine", () => {
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  let socket: string;

  beforeAll(async () => {
    home = await tempHome({});
    socket = join(home.dir, "no-docker.sock");
    env = { ...home.env, DOCKER_HOST: `unix://${socket}` };
  });
  afterAll(() => home.cleanup());

  it.each([["list"], ["prune", "--all"]])(
    "sandbox %s names the engine, where it looked, and the fix",
    async (...args) => {
      const result = await runCli(["sandbox", ...args], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the Docker engine is not reachable at unix://${socket}`);
      expect(result.stderr).toContain("[OC_ERR_SANDBOX_UNAVAILABLE]");
      expect(result.stderr).toMatch(/fix: install and start Docker .*DOCKER_HOST/);
      expect(result.stderr).not.toContain("OC_ERR_INTERNAL");
    },
  );

  it("sandbox doctor gives the same fix", async () => {
    const result = await runCli(["sandbox", "doctor"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL the Docker engine is not reachable at unix://${socket}`);
    expect(result.stdout).toMatch(/fix: install and start Docker/);
  });
});
