import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempHome } from "./harness.js";

// `config get` and `gateway token` answer from the state dir's validated-config cache
// (src/config/validated-cache.ts); whatever the cache holds, the commands must answer as the full
// loader does, and refuse what it refuses with the same words.
describe("read-only commands with the validated-config cache", () => {
  it("follows edits of the file and refuses an invalid one exactly as without a cache", async () => {
    const home = await tempHome(`{ gateway: { port: 18795, auth: { mode: "none" } } }`);
    await mkdir(home.stateDir, { recursive: true });
    const cachePath = join(home.stateDir, "validated-config.json");
    try {
      expect((await runCli(["config", "get", "gateway.port"], home.env)).stdout).toBe("18795\n");
      expect(existsSync(cachePath)).toBe(true);
      expect((await runCli(["config", "get", "gateway.port"], home.env)).stdout).toBe("18795\n");

      await writeFile(home.configPath, `{ gateway: { port: 18796, auth: { mode: "none" } } }`);
      expect((await runCli(["config", "get", "gateway.port"], home.env)).stdout).toBe("18796\n");

      await writeFile(home.configPath, `{ gateway: { port: 18796, prot: 1 } }`);
      const withCache = await runCli(["config", "get", "gateway.port"], home.env);
      await rm(cachePath, { force: true });
      const without = await runCli(["config", "get", "gateway.port"], home.env);
      expect(withCache.code).toBe(2);
      expect(withCache.stderr).toContain("OC_ERR_CONFIG_INVALID");
      expect(withCache.stderr).toContain("prot");
      expect(withCache).toMatchObject({ code: without.code, stdout: without.stdout, stderr: without.stderr });
      const token = await runCli(["gateway", "token"], home.env);
      expect(token.code).toBe(2);
      expect(token.stderr).toBe(without.stderr);
    } finally {
      await home.cleanup();
    }
  });

  it("answers a key absent from the file from the schema: declared, or a typo with a suggestion", async () => {
    const home = await tempHome(`{ gateway: { auth: { mode: "none" } } }`);
    await mkdir(home.stateDir, { recursive: true });
    try {
      const port = await runCli(["config", "get", "gateway.port"], home.env);
      expect(port.stdout).toBe("18789\n");
      const typo = await runCli(["config", "get", "gateway.prot"], home.env);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain("port");
      const whole = await runCli(["config", "get"], home.env);
      expect(JSON.parse(whole.stdout)).toMatchObject({ gateway: { port: 18789, auth: { mode: "none" } } });
    } finally {
      await home.cleanup();
    }
  });

  it("ignores a torn cache file", async () => {
    const home = await tempHome(`{ gateway: { port: 18797, auth: { mode: "none" } } }`);
    await mkdir(home.stateDir, { recursive: true });
    try {
      await writeFile(
        join(home.stateDir, "validated-config.json"),
        `{"format":"openclaw-validated-config/1","key`,
      );
      const result = await runCli(["config", "get", "gateway.port"], home.env);
      expect(result).toMatchObject({ code: 0, stdout: "18797\n", stderr: "" });
    } finally {
      await home.cleanup();
    }
  });
});
