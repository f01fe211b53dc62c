import { randomBytes } from "node:crypto";
import { chmod, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import { agentStatus, chat } from "./chat-http.js";
import {
  REPO_ROOT,
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  withTestAuth,
} from "./harness.js";

const plugin = (name: string) => join(REPO_ROOT, "examples/plugins", name);
const newKey = () => `sk-ant-api03-canary-${randomBytes(16).toString("hex")}`;

async function writeKeyFile(path: string, value: string): Promise<void> {
  // Written aside and renamed into place, as rotation tools do: never a half-written key.
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, `${value}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function streamChat(url: string, agentId: string, content: string): Promise<string> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: `openclaw/${agentId}`,
      stream: true,
      messages: [{ role: "user", content }],
    }),
    signal: AbortSignal.timeout(20_000),
  });
  return response.text();
}

describe("external secrets: a key lives only in the provider request", () => {
  const CANARY = newKey();
  let home: TempHome;
  let gateway: RunningGateway;
  let provider: FakeAnthropicServer;
  let keyFile: string;

  beforeAll(async () => {
    provider = new FakeAnthropicServer({ apiKey: CANARY });
    const { baseUrl } = await provider.start();
    home = await tempHome();
    keyFile = join(home.dir, "claude.key");
    await writeKeyFile(keyFile, CANARY);
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "claude-api-key": { source: "file", path: keyFile } },
          models: { providers: { anthropic: { baseUrl } } },
          agents: {
            defaults: { threadBound: true, model: "anthropic/claude-sonnet-4-5" },
            main: { plugins: [plugin("faults/env-dump.mjs")] },
            reader: { plugins: [plugin("faults/host-file-read.mjs")] },
          },
        }),
      ),
    );
    home.env.OPENCLAW_LOG_LEVEL = "debug";
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await provider?.close();
    await home?.cleanup();
  });

  it("binds the secret to anthropic by its name and sends it only as the x-api-key header", async () => {
    const reply = await chat(gateway.url, "main", "hello provider");
    expect(reply.status).toBe(200);
    expect(reply.text).toContain("hello provider");
    const request = provider.lastRequest;
    expect(request?.headers["x-api-key"]).toBe(CANARY);
    expect(JSON.stringify(request?.body)).not.toContain(CANARY);

    const list = await runCli(["secrets", "list", "--json"], home.env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        name: "claude-api-key",
        status: "ok",
        bindings: [
          {
            path: "models.providers.anthropic.apiKey",
            reason: expect.stringContaining("binds to the anthropic provider"),
          },
        ],
      }),
    ]);
    expect(list.stdout).not.toContain(CANARY);
  });

  it("masks the key in tool output, streamed answers, transcripts and provider error bodies", async () => {
    // A plugin reads the key file (plugins are trusted code with the gateway user's rights; the
    // shipped ones read through the confined context.files) and the model echoes the key in
    // pieces; neither the next provider request nor the client may see it.
    provider.enqueue(
      { type: "tool-call", toolName: "host_file_read", input: { path: keyFile } },
      { type: "text", text: ["The key is ", CANARY.slice(0, 12), CANARY.slice(12), " and that is all."] },
    );
    const streamed = await streamChat(gateway.url, "reader", "what is in the key file?");
    expect(streamed).toContain("The key is ");
    expect(streamed).toContain("[secret]");
    expect(streamed).not.toContain(CANARY);
    const toolResultRequest = provider.lastRequest;
    expect(JSON.stringify(toolResultRequest?.body)).toContain("[secret]");
    expect(toolResultRequest?.headers["x-api-key"]).toBe(CANARY);

    provider.enqueue({ type: "error", status: 401, message: `invalid x-api-key: ${CANARY}` });
    const failed = await chat(gateway.url, "main", "this one fails");
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(failed.body)).toContain("invalid x-api-key");
    expect(JSON.stringify(failed.body)).not.toContain(CANARY);
  });

  it("keeps the key out of worker env, status, config get, logs, the state dir and the worker's heap", async () => {
    // The model calls a plugin that lists the worker's environment; its answer reaches the provider.
    provider.enqueue({ type: "tool-call", toolName: "env_dump", input: {} }, { type: "text", text: "done" });
    expect((await chat(gateway.url, "main", "what is in your env?")).text).toBe("done");
    expect(JSON.stringify(provider.lastRequest?.body)).toContain('{\\"keys\\":[]}');

    for (const path of ["/__openclaw__/status", "/__openclaw__/agents", "/__openclaw__/secrets"]) {
      const text = await (await fetch(`${gateway.url}${path}`)).text();
      expect(text, path).not.toContain(CANARY);
    }
    const configGet = await runCli(["config", "get", "externalSecrets"], home.env);
    expect(configGet.code).toBe(0);
    expect(configGet.stdout).toContain(keyFile);
    expect(configGet.stdout).not.toContain(CANARY);

    const snapshot = await fetch(`${gateway.url}/__openclaw__/agents/main/heap-snapshot`, { method: "POST" });
    const { path, bytes } = (await snapshot.json()) as { path: string; bytes: number };
    expect(bytes).toBeGreaterThan(100_000);
    const heap = await readFile(path, "utf8");
    // The worker holds the placeholder it authenticates with, and never the value behind it.
    expect(heap).toMatch(/oc-cred-[0-9a-f]{32}/);
    expect(heap).not.toContain(CANARY);
    expect(heap).not.toContain(Buffer.from(CANARY).toString("base64"));

    for (const file of await filesUnder(home.stateDir)) {
      if (file.endsWith(".heapsnapshot")) continue;
      expect(await readFile(file, "utf8"), file).not.toContain(CANARY);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gateway.output()).toContain("turn finished");
    expect(gateway.output()).not.toContain(CANARY);
  });
});

describe("external secrets: rotation under load", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let provider: FakeAnthropicServer;

  afterAll(async () => {
    await gateway?.stop();
    await provider?.close();
    await home?.cleanup();
  });

  it("rotating the key file during 20 s of requests fails none, and the new key is used within 1 s", async () => {
    const oldKey = newKey();
    const rotatedKey = newKey();
    const seen: { at: number; key: string }[] = [];
    provider = new FakeAnthropicServer({
      respond: (request) => {
        seen.push({ at: Date.now(), key: String(request.headers["x-api-key"]) });
        return { type: "text", text: "ok" };
      },
    });
    const { baseUrl } = await provider.start();
    home = await tempHome();
    const keyFile = join(home.dir, "claude.key");
    await writeKeyFile(keyFile, oldKey);
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "claude-api-key": { source: "file", path: keyFile } },
          models: { providers: { anthropic: { baseUrl, apiKey: { $secret: "claude-api-key" } } } },
          agents: {
            main: { threadBound: true, model: "anthropic/claude-sonnet-4-5" },
            shared: { model: "anthropic/claude-sonnet-4-5" },
          },
        }),
      ),
    );
    gateway = await startGateway(home);

    const LOAD_MS = 20_000;
    const startedAt = Date.now();
    const outcomes: { status: number; agent: string }[] = [];
    const loop = async (agent: string) => {
      for (let index = 0; index < 20_000 && Date.now() - startedAt < LOAD_MS; index++) {
        const reply = await chat(gateway.url, agent, `load ${index}`, 10_000);
        outcomes.push({ status: reply.status, agent });
      }
    };
    const load = Promise.all(["main", "main", "shared", "shared"].map(loop));

    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 2));
    const rotatedAt = Date.now();
    await writeKeyFile(keyFile, rotatedKey);
    await load;

    const failures = outcomes.filter((outcome) => outcome.status !== 200);
    const firstNew = seen.find((entry) => entry.key === rotatedKey);
    const lastOld = seen.filter((entry) => entry.key === oldKey).at(-1);
    const pickupMs = (firstNew?.at ?? Number.POSITIVE_INFINITY) - rotatedAt;
    const lastOldMs = (lastOld?.at ?? 0) - rotatedAt;
    console.log(
      `[rotation] ${outcomes.length} requests in ${LOAD_MS / 1000} s, ${failures.length} failed; ` +
        `new key first seen ${pickupMs} ms after the rotation, old key last seen ${lastOldMs} ms after`,
    );
    expect(outcomes.length).toBeGreaterThan(200);
    expect(failures).toEqual([]);
    expect(seen.every((entry) => entry.key === oldKey || entry.key === rotatedKey)).toBe(true);
    expect(pickupMs).toBeLessThan(1000);
    expect(lastOldMs).toBeLessThan(1000);

    const list = await runCli(["secrets", "list", "--json"], home.env);
    const [secret] = JSON.parse(list.stdout) as { rotations: number; lastRotationAt?: string }[];
    expect(secret?.rotations).toBe(1);
    expect(Date.parse(secret?.lastRotationAt ?? "")).toBeGreaterThanOrEqual(rotatedAt - 1000);
  }, 60_000);
});

describe("external secrets: refusals and degradation", () => {
  let home: TempHome;

  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(() => home?.cleanup());

  it("refuses a 0644 key file and prints the chmod 600 fix", async () => {
    const keyFile = join(home.dir, "open.key");
    await writeFile(keyFile, `${newKey()}\n`);
    await chmod(keyFile, 0o644);
    await writeFile(
      home.configPath,
      JSON.stringify({ externalSecrets: { "claude-api-key": { source: "file", path: keyFile } } }),
    );
    const check = await runCli(["secrets", "check"], home.env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`chmod 600 ${keyFile}`);
    expect(check.stdout).toMatch(/claude-api-key.*missing/);
  });

  it("degrades only the agents whose env secret is missing; the rest serve", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "openai-api-key": { source: "env", key: "OPENCLAW_TEST_MISSING_KEY" } },
          agents: { needy: { model: "openai/gpt-4o" }, main: {} },
        }),
      ),
    );
    delete home.env.OPENCLAW_TEST_MISSING_KEY;
    const gateway = await startGateway(home);
    try {
      const needy = await agentStatus(gateway.url, "needy");
      expect(needy.state).toBe("degraded");
      expect(needy.reason).toContain("OPENCLAW_TEST_MISSING_KEY");
      const refused = await chat(gateway.url, "needy", "hi");
      expect(refused.status).toBe(503);
      expect((await chat(gateway.url, "main", "hi")).text).toBe("You said: hi");
    } finally {
      await gateway.stop();
    }
  });

  it("refuses an inline apiKey in production mode, naming the path and the fix", async () => {
    await writeFile(
      home.configPath,
      `{
  "gateway": { "mode": "production" },
  "models": { "providers": { "anthropic": { "apiKey": "sk-ant-api03-inline-secret-value-123456" } } }
}`,
    );
    const run = await runCli(["gateway", "run", "--port", "0"], home.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("models.providers.anthropic.apiKey");
    expect(run.stderr).toContain("externalSecrets");
    expect(run.stderr).not.toContain("sk-ant-api03-inline-secret-value-123456");
  });

  it("stops start-up when the gateway-auth secret is missing", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify({
        externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_MISSING_TOKEN" } },
        gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
      }),
    );
    const run = await runCli(["gateway", "run", "--port", "0"], home.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("gateway.auth.token");
    expect(run.stderr).toContain("OPENCLAW_TEST_MISSING_TOKEN");
  });

  it("secrets audit finds a planted sk-ant key (exit 1) and passes a clean config (exit 0)", async () => {
    const planted = "sk-ant-api03-planted-AAAAAAAAAAAAAAAAAAAAAAAA";
    await writeFile(
      home.configPath,
      `{
  // a key someone pasted
  "models": { "providers": { "anthropic": { "apiKey": "${planted}" } } }
}
`,
    );
    const dirty = await runCli(["secrets", "audit"], home.env);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/openclaw\.json:3/);
    expect(dirty.stdout).toContain("models.providers.anthropic.apiKey");
    expect(dirty.stdout).not.toContain(planted);

    await writeFile(
      home.configPath,
      JSON.stringify({
        externalSecrets: { "claude-api-key": { source: "env", key: "CLAUDE_API_KEY" } },
        models: { providers: { anthropic: { apiKey: { $secret: "claude-api-key" } } } },
      }),
    );
    const clean = await runCli(["secrets", "audit"], home.env);
    expect(clean.stdout).toContain("no plaintext credentials found");
    expect(clean.code).toBe(0);
  });
});
