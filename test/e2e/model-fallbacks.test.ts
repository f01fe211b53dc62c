import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import {
  authHeaders,
  jsonLines,
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";
import { TestWsClient } from "./ws-client.js";

const KEY = "sk-ant-api03-fallback-test-key";
const PRIMARY = "primary/big-model";
const FALLBACK = "anthropic/claude-sonnet-4-5";

async function chatTurn(url: string, agentId: string, content: string) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(url) },
    body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as {
    choices?: { message: { content: string } }[];
    error?: { code?: string; message: string };
  };
  return {
    status: response.status,
    turnId: response.headers.get("x-openclaw-turn-id") ?? "",
    text: body.choices?.[0]?.message.content ?? "",
    error: body.error,
  };
}

describe("model fallbacks: { primary, fallbacks }", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  // The primary is down (503) unless a message asks for a request it rejects as malformed (400).
  const primary = new FakeOpenAIServer({
    respond: (request) =>
      JSON.stringify(request.body).includes("malformed")
        ? { type: "error", status: 400, message: "messages[0] is malformed" }
        : { type: "error", status: 503, message: "the service is overloaded" },
  });
  const fallback = new FakeAnthropicServer({
    apiKey: KEY,
    respond: () => ({ type: "text", text: "The fallback answers." }),
  });

  beforeAll(async () => {
    const primaryUrl = (await primary.start()).baseUrl;
    const fallbackUrl = (await fallback.start()).baseUrl;
    home = await tempHome();
    const keyFile = join(home.dir, "claude.key");
    await writeFile(keyFile, `${KEY}\n`, { mode: 0o600 });
    const model = { primary: PRIMARY, fallbacks: [FALLBACK] };
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "claude-api-key": { source: "file", path: keyFile } },
          models: {
            providers: {
              primary: { type: "openai-compatible", baseUrl: primaryUrl },
              anthropic: { baseUrl: fallbackUrl },
            },
          },
          agents: { shared: { model }, bound: { model, threadBound: true } },
        }),
      ),
    );
    gateway = await startGateway(home);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await primary.close();
    await fallback.close();
    await home?.cleanup();
  });

  for (const agentId of ["shared", "bound"]) {
    it(`answers from the fallback when the primary answers 503 (${agentId})`, async () => {
      const before = { primary: primary.requests.length, fallback: fallback.requests.length };
      const reply = await chatTurn(gateway.url, agentId, "hello");
      expect(reply.status).toBe(200);
      expect(reply.text).toBe("The fallback answers.");
      expect(primary.requests.length - before.primary).toBe(1);
      expect(fallback.requests.length - before.fallback).toBe(1);

      const lines = await waitFor(async () => {
        const result = await runCli(["logs", "--turn", reply.turnId, "--json"], home.env);
        const parsed = jsonLines(result.stdout);
        return parsed.some((line) => line.msg === "turn finished") ? parsed : undefined;
      });
      const failedOver = [{ model: PRIMARY, code: "OC_ERR_MODEL_PROVIDER", providerStatus: 503 }];
      expect(lines.find((line) => line.msg === "turn finished")).toMatchObject({
        agent: agentId,
        model: FALLBACK,
        fallbackFrom: failedOver,
      });
      expect(lines.find((line) => line.msg === "model call")).toMatchObject({
        model: FALLBACK,
        fallbackFrom: failedOver,
      });
    });

    it(`does not try the fallback when the primary rejects the request with 400 (${agentId})`, async () => {
      const before = { primary: primary.requests.length, fallback: fallback.requests.length };
      const reply = await chatTurn(gateway.url, agentId, "a malformed request");
      expect(reply.status).toBe(502);
      expect(reply.error?.message).toContain("primary answered 400");
      expect(primary.requests.length - before.primary).toBe(1);
      expect(fallback.requests.length).toBe(before.fallback);
    });
  }

  it("counts usage under the model that answered and lists the primary as the agent's model", async () => {
    const usage = await runCli(["usage", "--json", "--by", "model"], home.env);
    expect(usage.code).toBe(0);
    const { rows } = JSON.parse(usage.stdout) as { rows: { key: string; turns: number }[] };
    expect(rows.map((row) => row.key)).toEqual([FALLBACK]);

    const agents = await runCli(["agents", "list", "--json"], home.env);
    expect(agents.code).toBe(0);
    const listed = JSON.parse(agents.stdout) as { id: string; model: string }[];
    expect(listed.map(({ id, model }) => ({ id, model }))).toEqual([
      { id: "shared", model: PRIMARY },
      { id: "bound", model: PRIMARY },
    ]);
  });

  it("gives OpenClaw clients the { primary, fallbacks } of each agent and lists every model", async () => {
    const { client } = await TestWsClient.connect(gateway.url);
    try {
      const agents = await client.request("agents.list");
      const listed = agents.payload?.agents as { id: string; model: unknown }[];
      expect(listed.map(({ id, model }) => ({ id, model }))).toEqual([
        { id: "shared", model: { primary: PRIMARY, fallbacks: [FALLBACK] } },
        { id: "bound", model: { primary: PRIMARY, fallbacks: [FALLBACK] } },
      ]);
      const models = await client.request("models.list");
      expect(models.payload?.models).toEqual([
        { id: "big-model", name: "big-model", provider: "primary" },
        { id: "claude-sonnet-4-5", name: "claude-sonnet-4-5", provider: "anthropic" },
      ]);
    } finally {
      client.close();
    }
  });
});
