import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome } from "./harness.js";

/** A loopback port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `openclaw models list | status` against a real gateway with three kinds of provider: an
 * openai-compatible server and an Anthropic one (loopback fakes that demand their keys), one
 * that nobody serves, and the built-in dev model.
 */
describe("openclaw models", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  const local = new FakeOpenAIServer({ apiKey: "sk-local", models: ["llama-3", "qwen-2"] });
  const claude = new FakeAnthropicServer({ apiKey: "sk-ant", models: ["claude-fake"] });
  let downUrl: string;

  beforeAll(async () => {
    const [localAddress, claudeAddress, port] = await Promise.all([
      local.start(),
      claude.start(),
      closedPort(),
    ]);
    downUrl = `http://127.0.0.1:${port}/v1`;
    home = await tempHome({
      models: {
        providers: {
          local: { type: "openai-compatible", baseUrl: localAddress.baseUrl, apiKey: "sk-local" },
          claude: { type: "anthropic", baseUrl: claudeAddress.baseUrl, apiKey: "sk-ant" },
          down: { type: "openai-compatible", baseUrl: downUrl },
          stale: { type: "openai-compatible", baseUrl: localAddress.baseUrl, apiKey: "sk-wrong" },
        },
      },
      agents: {
        main: { model: "local/llama-3" },
        writer: { model: "claude/claude-fake" },
        offline: { model: "dev/echo" },
      },
    });
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([local.close(), claude.close()]);
    await home?.cleanup();
  });

  it("list shows each agent's model and each provider, the dev model as built in", async () => {
    const json = await runCli(["models", "list", "--json"], home.env);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const catalog = JSON.parse(json.stdout) as {
      agents: Record<string, unknown>[];
      providers: Record<string, unknown>[];
    };
    expect(catalog.agents).toEqual([
      { id: "main", model: "local/llama-3", provider: "local", builtIn: false, state: "ready" },
      { id: "writer", model: "claude/claude-fake", provider: "claude", builtIn: false, state: "ready" },
      { id: "offline", model: "dev/echo", provider: "dev", builtIn: true, state: "ready" },
    ]);
    const byId = Object.fromEntries(catalog.providers.map((provider) => [provider.id, provider]));
    expect(byId.local).toMatchObject({ type: "openai-compatible", builtIn: false, agents: ["main"] });
    expect(byId.down).toMatchObject({ baseUrl: downUrl, agents: [], models: [] });
    expect(byId.dev).toMatchObject({ type: "dev", builtIn: true, configured: false, agents: ["offline"] });
    // No credential is ever part of the answer.
    expect(json.stdout).not.toContain("sk-local");
    expect(json.stdout).not.toContain("sk-ant");

    const table = await runCli(["models", "list"], home.env);
    expect(table.stdout).toMatch(/offline\s+dev\/echo\s+dev \(built in\)\s+ready/);
    expect(table.stdout).toMatch(/dev\s+dev\s+\(built in\)\s+offline/);

    const one = await runCli(["models", "list", "--agent", "writer", "--json"], home.env);
    const only = JSON.parse(one.stdout) as { agents: { id: string }[]; providers: { id: string }[] };
    expect(only.agents.map((agent) => agent.id)).toEqual(["writer"]);
    expect(only.providers.map((provider) => provider.id)).toEqual(["claude"]);
  });

  it("status reports what each provider's /models lists, and a clear error for one that is down", async () => {
    const json = await runCli(["models", "status", "--json"], home.env);
    expect(json.code).toBe(0);
    const { providers } = JSON.parse(json.stdout) as { providers: Record<string, unknown>[] };
    const byId = Object.fromEntries(providers.map((provider) => [provider.id, provider]));
    expect(byId.local).toMatchObject({ ok: true, available: ["llama-3", "qwen-2"] });
    expect(byId.claude).toMatchObject({ ok: true, available: ["claude-fake"] });
    expect(byId.dev).toMatchObject({ ok: true, builtIn: true, available: ["echo"] });
    expect(byId.down).toMatchObject({
      ok: false,
      error: {
        code: "OC_ERR_MODEL_PROVIDER",
        message: expect.stringContaining(`cannot reach ${downUrl}/models: ECONNREFUSED`),
        hint: expect.stringContaining("models.providers.down.baseUrl"),
      },
    });
    // The keys went to their own providers only, each in its own wire format.
    const localAsk = local.requests.find((request) => request.path === "/v1/models");
    expect(localAsk?.headers.authorization).toBe("Bearer sk-local");
    const claudeAsk = claude.requests.find((request) => request.path === "/v1/models");
    expect(claudeAsk?.headers["x-api-key"]).toBe("sk-ant");

    const text = await runCli(["models", "status"], home.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/local\s+openai-compatible\s+\S+\s+ok \(\d+ ms\)\s+llama-3, qwen-2/);
    expect(text.stdout).toMatch(/down\s+openai-compatible\s+\S+\s+error/);
    expect(text.stdout).toContain("down: cannot reach");
    expect(text.stdout).toContain("fix: check that the provider runs");

    const checked = await runCli(["models", "status", "--check"], home.env);
    expect(checked.code).toBe(1);
  });

  it("status names a provider that refuses its key, without repeating the key", async () => {
    const json = await runCli(["models", "status", "--json"], home.env);
    const { providers } = JSON.parse(json.stdout) as { providers: Record<string, unknown>[] };
    expect(providers.find((provider) => provider.id === "stale")).toMatchObject({
      ok: false,
      status: 401,
      error: { code: "OC_ERR_PROVIDER_AUTH", hint: expect.stringContaining("models.providers.stale.apiKey") },
    });
    // The fake echoes a wrong key in its error, as real providers do; it must not come back.
    const refused = local.requests.find((request) => request.headers.authorization === "Bearer sk-wrong");
    expect(refused).toBeDefined();
    expect(json.stdout).not.toContain("sk-wrong");
  });

  it("says the gateway is not running, and how to start it", async () => {
    const idle = await tempHome("{}");
    try {
      for (const args of [
        ["models", "list"],
        ["models", "status", "--json"],
      ]) {
        const result = await runCli(args, idle.env);
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr).toContain("[OC_ERR_GATEWAY_NOT_RUNNING]");
        expect(result.stderr).toContain("fix: start it with `openclaw gateway start`");
      }
    } finally {
      await idle.cleanup();
    }
  });
});
