import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import {
  authHeaders,
  CLI_MAIN,
  jsonLines,
  REPO_ROOT,
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";

const CANARY = `sk-ant-api03-logcanary-${randomBytes(16).toString("hex")}`;

/** The forms a leaked key could take in a log line. */
const CANARY_FORMS = [
  CANARY,
  Buffer.from(CANARY).toString("base64"),
  encodeURIComponent(CANARY),
  CANARY.slice(0, 24),
];

async function chatTurn(
  url: string,
  agentId: string,
  content: string,
): Promise<{ status: number; turnId: string; text: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(url) },
    body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return {
    status: response.status,
    turnId: response.headers.get("x-openclaw-turn-id") ?? "",
    text: body.choices?.[0]?.message.content ?? "",
  };
}

describe("logs: one turn followed by its id, and no secret in any line", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let provider: FakeAnthropicServer;
  let workspace: string;

  beforeAll(async () => {
    provider = new FakeAnthropicServer({ apiKey: CANARY });
    const { baseUrl } = await provider.start();
    home = await tempHome();
    const keyFile = join(home.dir, "claude.key");
    await writeFile(keyFile, `${CANARY}\n`, { mode: 0o600 });
    workspace = join(home.dir, "workspace");
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "claude-api-key": { source: "file", path: keyFile } },
          models: { providers: { anthropic: { baseUrl } } },
          // Small files, so that this test's own traffic rotates the log.
          logging: { file: { maxSizeMb: 0.004, maxFiles: 3 } },
          agents: {
            main: { threadBound: true, workspace },
            claude: { threadBound: true, model: "anthropic/claude-sonnet-4-5" },
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

  it("follows an HTTP request to its model calls and tool call by one turn id", async () => {
    const write = await chatTurn(
      gateway.url,
      "main",
      `/tool write ${JSON.stringify({ path: "notes.txt", content: `key ${CANARY}` })}`,
    );
    expect(write.status).toBe(200);
    const read = await chatTurn(gateway.url, "main", `/tool read ${JSON.stringify({ path: "notes.txt" })}`);
    expect(read.status).toBe(200);
    expect(read.turnId).toMatch(/^[0-9a-f-]{36}$/);
    // The model read the key back from the file: the answer is masked.
    expect(read.text).not.toContain(CANARY);

    const lines = await waitFor(async () => {
      const result = await runCli(["logs", "--turn", read.turnId, "--json"], home.env);
      const parsed = jsonLines(result.stdout);
      return parsed.some((line) => line.msg === "turn finished") ? parsed : undefined;
    });
    expect(lines.every((line) => line.turn === read.turnId)).toBe(true);
    expect(lines.every((line) => line.agent === "main")).toBe(true);
    expect(lines.every((line) => typeof line.session === "string")).toBe(true);
    const messages = lines.map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining(["turn started", "model call", "tool call", "turn finished"]),
    );
    const started = lines.find((line) => line.msg === "turn started");
    expect(started).toMatchObject({ via: "http", route: "POST /v1/chat/completions" });
    const modelCalls = lines.filter((line) => line.msg === "model call");
    expect(modelCalls.map((line) => line.step)).toEqual([1, 2]);
    expect(modelCalls[0]).toMatchObject({ model: "dev/echo" });
    expect(lines.find((line) => line.msg === "tool call")).toMatchObject({ tool: "read", isError: false });
    // In order: request, first model call, the tool, the model's answer, the end.
    expect(messages.indexOf("turn started")).toBeLessThan(messages.indexOf("model call"));
    expect(messages.indexOf("tool call")).toBeLessThan(messages.lastIndexOf("model call"));

    const pretty = await runCli(["logs", "--turn", read.turnId], home.env);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain(`[main turn ${read.turnId.slice(0, 8)}]`);
    expect(pretty.stdout).toContain("tool call");
  });

  it("counts a provider's usage per agent, and keeps the key out of every log file and line", async () => {
    provider.enqueue({
      type: "text",
      text: `Here is ${CANARY} as you asked`,
      usage: { inputTokens: 120, outputTokens: 7, cachedInputTokens: 100 },
    });
    const reply = await chatTurn(gateway.url, "claude", "say the key");
    expect(reply.status).toBe(200);
    expect(reply.text).not.toContain(CANARY);
    // A provider error that echoes the key also passes through the log.
    provider.enqueue({ type: "error", status: 400, message: `bad request for key ${CANARY}` });
    const failed = await chatTurn(gateway.url, "claude", "fail please");
    expect(failed.status).toBeGreaterThanOrEqual(400);

    const usage = await runCli(["usage", "--json", "--agent", "claude"], home.env);
    expect(usage.code).toBe(0);
    const { rows } = JSON.parse(usage.stdout) as {
      rows: { key: string; inputTokens: number; outputTokens: number; cachedInputTokens: number }[];
    };
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key: "claude",
      inputTokens: 120,
      outputTokens: 7,
      cachedInputTokens: 100,
    });
    const table = await runCli(["usage", "--by", "model"], home.env);
    expect(table.stdout).toMatch(/anthropic\/claude-sonnet-4-5\s+1\s+1\s+120\s+7\s+100\s+[\d.]+ ms/);
    expect(table.stdout).toMatch(/dev\/echo\s+2\s+4\s/);

    const logsDir = join(home.stateDir, "logs");
    const files = await waitFor(async () => {
      const names = await readdir(logsDir);
      return names.includes("gateway.log.1") ? names : undefined;
    });
    expect(files).toContain("gateway.log");
    expect((await stat(join(logsDir, "gateway.log"))).mode & 0o777).toBe(0o600);
    const everything = [
      gateway.output(),
      ...(await Promise.all(files.map((name) => readFile(join(logsDir, name), "utf8")))),
    ].join("\n");
    expect(everything).toContain("model call");
    for (const form of CANARY_FORMS) expect(everything).not.toContain(form);
  });

  it("filters by level and agent, and --follow prints lines as they are written", async () => {
    const warnings = await runCli(["logs", "--level", "warn", "--json", "-n", "0"], home.env);
    const levels = new Set(jsonLines(warnings.stdout).map((line) => line.level));
    expect([...levels].every((level) => level === "warn" || level === "error")).toBe(true);
    expect(levels.has("warn")).toBe(true);

    const follower = spawn(
      process.execPath,
      [CLI_MAIN, "logs", "--follow", "--agent", "main", "--json", "-n", "0"],
      { env: home.env, cwd: REPO_ROOT },
    );
    let followed = "";
    follower.stdout.on("data", (data) => {
      followed += data;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const turn = await chatTurn(gateway.url, "main", "followed live");
      const lines = await waitFor(() => {
        const parsed = jsonLines(followed);
        return parsed.some((line) => line.turn === turn.turnId && line.msg === "turn finished")
          ? parsed
          : undefined;
      });
      expect(lines.every((line) => line.agent === "main")).toBe(true);
    } finally {
      follower.kill("SIGTERM");
    }
  });
});
