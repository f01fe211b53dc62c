import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "./fake-anthropic-server.js";
import { FakeOpenAIServer } from "./fake-openai-server.js";

/**
 * The fakes are reused by e2e tests and benchmarks, so their wire formats are checked here on
 * their own: the OpenAI fake against the official `openai` client, the Anthropic fake by hand.
 */

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openaiFake(options: ConstructorParameters<typeof FakeOpenAIServer>[0] = {}) {
  const server = new FakeOpenAIServer({ apiKey: "sk-fake", ...options });
  servers.push(server);
  const { baseUrl } = await server.start();
  return { server, client: new OpenAI({ baseURL: baseUrl, apiKey: "sk-fake", maxRetries: 0 }) };
}

async function anthropicFake(options: ConstructorParameters<typeof FakeAnthropicServer>[0] = {}) {
  const server = new FakeAnthropicServer(options);
  servers.push(server);
  const { url } = await server.start();
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "k",
        "anthropic-version": "2023-06-01",
        ...headers,
      },
      body: JSON.stringify(body),
    });
  return { server, post };
}

const question = { model: "gpt-4o", messages: [{ role: "user" as const, content: "ping" }] };

describe("FakeOpenAIServer, seen by the official openai client", () => {
  it("answers a non-streaming chat, echoing the last user message by default", async () => {
    const { client } = await openaiFake();
    const completion = await client.chat.completions.create(question);

    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe("You said: ping");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("streams a tool call that the client's stream helper reassembles", async () => {
    const { client } = await openaiFake({
      replies: [
        { type: "tool-call", toolCallId: "call_9", toolName: "lookup", input: { id: 42, tags: ["a", "b"] } },
      ],
    });
    const stream = client.chat.completions.stream({ ...question, stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();

    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: "call_9", type: "function", function: { name: "lookup" } });
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      id: 42,
      tags: ["a", "b"],
    });
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("answers scripted errors in OpenAI's error shape", async () => {
    const { client } = await openaiFake({
      replies: [{ type: "error", status: 429, message: "Rate limit reached" }],
    });
    const error = await client.chat.completions.create(question).catch((caught) => caught);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.error).toMatchObject({ message: "Rate limit reached", code: "rate_limit_exceeded" });
  });

  it("refuses a wrong key with a 401", async () => {
    const server = new FakeOpenAIServer({ apiKey: "sk-right" });
    servers.push(server);
    const { baseUrl } = await server.start();
    const client = new OpenAI({ baseURL: baseUrl, apiKey: "sk-wrong", maxRetries: 0 });

    await expect(client.chat.completions.create(question)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("decides replies with a function of the request and records every request", async () => {
    const { server, client } = await openaiFake({
      respond: (request) => ({
        type: "text",
        text: `model was ${(request.body as { model: string }).model}`,
      }),
    });
    const completion = await client.chat.completions.create({ ...question, model: "gpt-x" });

    expect(completion.choices[0]?.message.content).toBe("model was gpt-x");
    expect(server.requests).toHaveLength(1);
    expect(server.lastRequest?.headers.authorization).toBe("Bearer sk-fake");
  });

  it("paces streamed chunks at the configured delay", async () => {
    const { client } = await openaiFake({ chunkDelayMs: 15 });
    const started = performance.now();
    const stream = await client.chat.completions.create({ ...question, stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream)
      if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);

    expect(deltas).toEqual(["You ", "said: ", "ping"]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 15 - 5);
  });
});

describe("FakeAnthropicServer", () => {
  it("answers a non-streaming request in the Messages API shape", async () => {
    const { post } = await anthropicFake({
      replies: [
        {
          type: "tool-call",
          toolCallId: "toolu_1",
          toolName: "lookup",
          input: { id: 1 },
          text: "Let me look.",
        },
      ],
    });
    const response = await post({
      model: "claude-x",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "toolu_1", name: "lookup", input: { id: 1 } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it("streams the Messages API event sequence", async () => {
    const { post } = await anthropicFake({ replies: [{ type: "text", text: ["Hel", "lo"] }] });
    const response = await post({
      model: "claude-x",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const events = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);

    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(events).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it.each([
    [{ "x-api-key": "" }, 401, "authentication_error"],
    [{ "anthropic-version": "" }, 400, "invalid_request_error"],
  ])("refuses a request missing a required header (%o)", async (headers, status, type) => {
    const { post } = await anthropicFake();
    const response = await post({ model: "claude-x", messages: [] }, headers);

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ type: "error", error: { type } });
  });

  it("checks the key when one is configured", async () => {
    const { post } = await anthropicFake({ apiKey: "right" });
    const response = await post({ model: "claude-x", messages: [] });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
  });
});

describe("GET /v1/models on the fakes (what `openclaw models status` reads)", () => {
  it("lists the configured ids to the openai client, and refuses a wrong key", async () => {
    const server = new FakeOpenAIServer({ apiKey: "sk-fake", models: ["llama-3", "qwen-2"] });
    servers.push(server);
    const { baseUrl } = await server.start();
    const client = new OpenAI({ baseURL: baseUrl, apiKey: "sk-fake", maxRetries: 0 });
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["llama-3", "qwen-2"]);
    const refused = await fetch(`${baseUrl}/models`, { headers: { authorization: "Bearer nope" } });
    expect(refused.status).toBe(401);
  });

  it("lists Anthropic's model page shape with x-api-key", async () => {
    const server = new FakeAnthropicServer({ model: "claude-fake" });
    servers.push(server);
    const { url } = await server.start();
    const listed = await fetch(`${url}/v1/models`, { headers: { "x-api-key": "k" } });
    expect(await listed.json()).toMatchObject({
      data: [{ type: "model", id: "claude-fake" }],
      has_more: false,
    });
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
  });
});
