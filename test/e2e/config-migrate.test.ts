import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { runCli, startGateway, tempHome } from "./harness.js";

const SEED_CONFIG = `{
  // loopback only, for the test
  gateway: { auth: { mode: "none" } },
  agents: {
    // answers by echoing
    main: { model: "dev/echo" },
    helper: { model: "dev/echo" }, // a second one
  },
}
`;

describe("openclaw config migrate", () => {
  it("prints the migration without --write, then --write rewrites the file and a gateway answers with it", async () => {
    const home = await tempHome(SEED_CONFIG);
    try {
      const preview = await runCli(["config", "migrate"], home.env);
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stdout).toContain("entries: {");
      expect(await readFile(home.configPath, "utf8")).toBe(SEED_CONFIG);

      const written = await runCli(["config", "migrate", "--write"], home.env);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toContain("original kept as");
      const migrated = await readFile(home.configPath, "utf8");
      expect(migrated).toBe(preview.stdout);
      expect(migrated).toContain("// answers by echoing");
      expect(migrated).toContain("// a second one");
      expect(await readFile(`${home.configPath}.bak`, "utf8")).toBe(SEED_CONFIG);

      const again = await runCli(["config", "migrate"], home.env);
      expect(again.stdout).toContain("nothing to migrate");

      const gateway = await startGateway(home);
      try {
        for (const agentId of ["main", "helper"]) {
          const reply = await chat(gateway.url, agentId, "ping");
          expect(reply.status, agentId).toBe(200);
          expect(reply.text, agentId).toBe("You said: ping");
        }
      } finally {
        await gateway.stop();
      }
    } finally {
      await home.cleanup();
    }
  }, 90_000);
});
