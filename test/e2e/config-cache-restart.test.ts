import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type RunningGateway, runCli, startGateway, tempHome, waitFor } from "./harness.js";

async function agentIds(gateway: RunningGateway): Promise<string[]> {
  const response = await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers });
  const status = (await response.json()) as { agents: { id: string }[] };
  return status.agents.map((agent) => agent.id);
}

const IGNORED = "tools.elevated: OpenClaw setting not supported here; ignored";

// A restart with an unchanged file takes its config from the validated-config cache (the config
// schema is then not built before ready); a changed file is loaded and judged in full, and the
// watcher of a gateway started from the cache still loads each change.
describe("a gateway restart and the validated-config cache", { timeout: 90_000 }, () => {
  it("answers an unchanged file from the cache, and loads a changed one in full", async () => {
    const home = await tempHome({
      gateway: { auth: { mode: "token" } },
      agents: { alpha: { model: "dev/echo" } },
      tools: { elevated: { enabled: true } },
    });
    const cachePath = join(home.stateDir, "validated-config.json");
    const cacheWrittenAt = async () => (await stat(cachePath, { bigint: true })).mtimeNs;
    try {
      const first = await startGateway(home);
      expect(await agentIds(first)).toEqual(["alpha"]);
      await first.stop();
      expect(first.output()).toContain(IGNORED);
      const written = await cacheWrittenAt();

      // Unchanged file: a hit, so nothing is written; the warnings of the cached load are still said.
      const second = await startGateway(home);
      try {
        expect(await cacheWrittenAt()).toBe(written);
        expect(await agentIds(second)).toEqual(["alpha"]);
        expect(second.output()).toContain(IGNORED);
        // Started from the cache, the watcher imports the loader on the first change.
        await writeFile(
          home.configPath,
          JSON.stringify({ gateway: { auth: { mode: "token" } }, agents: { alpha: {}, beta: {} } }),
        );
        await waitFor(async () => JSON.stringify(await agentIds(second)) === '["alpha","beta"]', 15_000);
        await writeFile(home.configPath, JSON.stringify({ agents: { alpha: { thredBound: true } } }));
        await waitFor(() => second.output().includes("config change rejected"), 15_000);
        expect(second.output()).toContain("thredBound");
      } finally {
        await second.stop();
      }

      // The file on disk is now invalid: the restart judges it in full and refuses to start.
      const refused = await runCli(["gateway", "run", "--port", "0"], home.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("OC_ERR_CONFIG_INVALID");
      expect(refused.stderr).toContain("thredBound");

      // A valid edit between two starts: loaded in full, run, and kept for the next start.
      await writeFile(
        home.configPath,
        JSON.stringify({ gateway: { auth: { mode: "token" } }, agents: { gamma: {} } }),
      );
      const third = await startGateway(home);
      try {
        expect(await agentIds(third)).toEqual(["gamma"]);
        expect(await cacheWrittenAt()).not.toBe(written);
      } finally {
        await third.stop();
      }
    } finally {
      await home.cleanup();
    }
  });
});
