import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
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

  it("moves externalSecrets to SecretRefs, and the migrated gateway reads the same key and token", async () => {
    const apiKey = "sk-migrate-e2e-not-a-real-key-0123456789";
    const token = "gateway-token-migrate-e2e-0123456789";
    const provider = new FakeOpenAIServer({ apiKey });
    const { baseUrl } = await provider.start();
    const home = await tempHome();
    try {
      const keys = join(home.dir, "keys.json");
      await writeFile(keys, JSON.stringify({ openai: apiKey }), { mode: 0o600 });
      await writeFile(
        home.configPath,
        `{
  externalSecrets: {
    // the provider key, in the ops-managed file
    "openai-key": { source: "file", path: ${JSON.stringify(keys)}, pointer: "/openai" },
    "gateway-token": { source: "env", key: "MIGRATE_E2E_TOKEN" }, // set by the service unit
  },
  gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
  models: { providers: { openai: { baseUrl: ${JSON.stringify(baseUrl)}, apiKey: { $secret: "openai-key" } } } },
  agents: { main: { model: "openai/gpt-4o-mini" } },
}
`,
      );
      home.env.MIGRATE_E2E_TOKEN = token;
      const written = await runCli(["config", "migrate", "--write"], home.env);
      expect(written.code, written.stderr).toBe(0);
      const migrated = await readFile(home.configPath, "utf8");
      const raw = JSON5.parse(migrated) as Record<string, Record<string, unknown>>;
      expect(raw.externalSecrets).toBeUndefined();
      expect(raw.secrets?.providers).toEqual({
        "openai-key": { source: "file", path: keys, mode: "json" },
      });
      expect(migrated).toContain("// the provider key, in the ops-managed file");
      expect(migrated).toContain('token: { source: "env", provider: "default", id: "MIGRATE_E2E_TOKEN" }');
      const validated = await runCli(["config", "validate"], home.env);
      expect(validated.code, validated.stderr + validated.stdout).toBe(0);

      const gateway = await startGateway(home);
      try {
        const ask = (authorization: string) =>
          fetch(`${gateway.url}/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization },
            body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ping" }] }),
            signal: AbortSignal.timeout(20_000),
          });
        expect((await ask("Bearer wrong")).status).toBe(401);
        const answered = await ask(`Bearer ${token}`);
        expect(answered.status, await answered.clone().text()).toBe(200);
        expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${apiKey}`);
      } finally {
        await gateway.stop();
      }
    } finally {
      await provider.close();
      await home.cleanup();
    }
  }, 90_000);
});
