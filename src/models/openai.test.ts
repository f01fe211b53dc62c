import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { collectStream, finishOf, textDeltas } from "./testing/collect-stream.js";
import { FakeOpenAIServer } from "./testing/fake-openai-server.js";
import type { ChatMessage, ModelSpec, ToolDescriptor } from "./types.js";

const KEY = "sk-proj-test-0123456789abcdef";
const weatherTool: ToolDescriptor = {
  name: "get_weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

let server: FakeOpenAIServer;
let baseUrl: string;

async function startServer(options: ConstructorParameters<typeof FakeOpenAIServer>[0] = {}) {
  server = new FakeOpenAIServer({ apiKey: KEY, ...options });
  ({ baseUrl } = await server.start());
}

function provider(overrides: Partial<ModelSpec> = {}) {
  return new AiSdkModelProvider({
    provider: "openai",
    type: "openai",
    model: "gpt-4o",
    baseUrl,
    apiKey: KEY,
    ...overrides,
  });
}

const hello: ChatMessage[] = [{ role: "user", content: "Hello there" }];

beforeEach(() => startServer());
afterEach(() => server.close());

describe("AiSdkModelProvider with OpenAI", () => {
  it("streams text as several deltas and reports usage", async () => {
    server.enqueue({
      type: "text",
      text: "The quick brown fox jumps.",
      usage: { inputTokens: 30, outputTokens: 7, cachedInputTokens: 10 },
    });
    const parts = await collectStream(provider().stream({ system: "Be brief.", messages: hello, tools: [] }));

    const deltas = textDeltas(parts);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("The quick brown fox jumps.");
    expect(finishOf(parts)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 30, outputTokens: 7, cachedInputTokens: 10 },
    });
  });

  it("uses Chat Completions with the explicit key as a Bearer token and asks for usage", async () => {
    await collectStream(
      provider().stream({ system: "Be brief.", messages: hello, tools: [], maxOutputTokens: 50 }),
    );

    const request = server.lastRequest!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello there" },
      ],
    });
  });

  it("round-trips a tool call: the tool result goes back as a tool message", async () => {
    server.enqueue(
      { type: "tool-call", toolCallId: "call_01", toolName: "get_weather", input: { city: "Paris" } },
      { type: "text", text: "It is sunny in Paris." },
    );
    const first = await collectStream(provider().stream({ messages: hello, tools: [weatherTool] }));

    expect(first).toContainEqual({
      type: "tool-call",
      toolCallId: "call_01",
      toolName: "get_weather",
      input: { city: "Paris" },
    });
    expect(finishOf(first)?.finishReason).toBe("tool-calls");
    expect(server.requests[0]?.body).toMatchObject({
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather for a city",
            parameters: weatherTool.parameters,
          },
        },
      ],
    });

    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_01", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "call_01", toolName: "get_weather", content: "sunny, 24C" },
    ];
    const second = await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    expect(textDeltas(second).join("")).toBe("It is sunny in Paris.");
    const body = server.requests[1]?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: "user", content: "Hello there" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_01",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_01", content: "sunny, 24C" },
    ]);
  });

  it("sends the results of parallel tool calls as one tool message each, in order", async () => {
    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_a", name: "get_weather", input: { city: "Oslo" } },
          { id: "call_b", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      { role: "tool", toolCallId: "call_a", toolName: "get_weather", content: "snow" },
      { role: "tool", toolCallId: "call_b", toolName: "get_weather", content: "no such city", isError: true },
    ];
    await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    const body = server.lastRequest?.body as { messages: unknown[] };
    expect(body.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "call_a", content: "snow" },
      // Chat Completions has no error flag on tool messages; the SDK wraps error text instead.
      { role: "tool", tool_call_id: "call_b", content: '{"error":"no such city"}' },
    ]);
  });

  it.each([
    [401, "invalid_request_error"],
    [429, "requests"],
    [500, "server_error"],
  ])(
    "turns an HTTP %i into a 502 error (OC_ERR_PROVIDER_AUTH for 401) with the provider's message and no key",
    async (status) => {
      server.enqueue({ type: "error", status, message: `refused for ${KEY}, try later` });
      const error = await collectStream(provider().stream({ messages: hello, tools: [] })).catch(
        (caught) => caught,
      );

      expect(error).toBeInstanceOf(OpenClawError);
      // A refused key is the provider's verdict on the gateway's key, never the client's 401.
      expect(error.code).toBe(status === 401 ? "OC_ERR_PROVIDER_AUTH" : "OC_ERR_MODEL_PROVIDER");
      expect(error.spec.status).toBe(502);
      expect(error.details?.status).toBeUndefined();
      expect(error.message).toBe(
        status === 401
          ? `openai refused the gateway's key for it (401): refused for [redacted], try later`
          : `openai answered ${status}: refused for [redacted], try later`,
      );
      expect(JSON.stringify({ ...error, hint: error.hint })).not.toContain(KEY);
      expect(server.requests).toHaveLength(1);
    },
  );

  it("strips a wrong key that the provider echoes in its 401", async () => {
    const wrongKey = "sk-proj-wrong-key-987654321";
    const error = await collectStream(
      provider({ apiKey: wrongKey }).stream({ messages: hello, tools: [] }),
    ).catch((caught) => caught);

    expect(error).toMatchObject({ code: "OC_ERR_PROVIDER_AUTH" });
    expect(error.message).toBe(
      "openai refused the gateway's key for it (401): Incorrect API key provided: [redacted].",
    );
    expect(error.hint).toContain("models.providers.openai.apiKey");
  });

  it("turns a mid-stream error chunk into OC_ERR_MODEL_PROVIDER", async () => {
    server.enqueue({ type: "stream-error", text: "Partial answer", message: "The server had an error" });
    const error = await collectStream(provider().stream({ messages: hello, tools: [] })).catch(
      (caught) => caught,
    );

    expect(error).toMatchObject({ code: "OC_ERR_MODEL_PROVIDER" });
    expect(error.message).toContain("The server had an error");
  });

  it("rejects with OC_ERR_TURN_ABORTED when aborted mid-stream", async () => {
    await server.close();
    await startServer({ chunkDelayMs: 20 });
    server.enqueue({ type: "text", text: "one two three four five six seven eight nine ten" });
    const controller = new AbortController();
    const deltas: string[] = [];
    const run = async () => {
      for await (const part of provider().stream({ messages: hello, tools: [], signal: controller.signal })) {
        if (part.type === "text-delta") deltas.push(part.text);
        if (deltas.length === 2) controller.abort();
      }
    };

    await expect(run()).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(deltas).toHaveLength(2);
  });

  it("fails with OC_ERR_MODEL_PROVIDER when the provider goes silent longer than timeoutMs", async () => {
    await server.close();
    await startServer({ chunkDelayMs: 300 });
    const error = await collectStream(
      provider({ timeoutMs: 100 }).stream({ messages: hello, tools: [] }),
    ).catch((caught) => caught);

    expect(error).toMatchObject({
      code: "OC_ERR_MODEL_PROVIDER",
      message: "openai sent nothing for 100 ms.",
    });
  });

  it("does not count a slow consumer against timeoutMs", async () => {
    server.enqueue({ type: "text", text: "slow reader here" });
    const deltas: string[] = [];
    for await (const part of provider({ timeoutMs: 100 }).stream({ messages: hello, tools: [] })) {
      if (part.type !== "text-delta") continue;
      deltas.push(part.text);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }

    expect(deltas.join("")).toBe("slow reader here");
  });

  describe("with OPENAI_API_KEY in the environment", () => {
    const canary = "sk-env-canary-must-not-be-used";
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = canary;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    });

    it("refuses to build without an explicit key instead of using the environment's", () => {
      expect(() => provider({ apiKey: undefined })).toThrow(
        expect.objectContaining({
          code: "OC_ERR_MODEL_CONFIG",
          hint: expect.stringContaining("models.providers.openai.apiKey"),
        }),
      );
      expect(server.requests).toHaveLength(0);
    });

    it("sends the configured key, not the environment's", async () => {
      await collectStream(provider().stream({ messages: hello, tools: [] }));

      expect(server.lastRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.stringify(server.requests)).not.toContain(canary);
    });
  });
});
