import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { collectStream, finishOf, textDeltas } from "./testing/collect-stream.js";
import { FakeAnthropicServer } from "./testing/fake-anthropic-server.js";
import type { ChatMessage, ModelSpec, ToolDescriptor } from "./types.js";

const KEY = "sk-ant-test-0123456789abcdef";
const weatherTool: ToolDescriptor = {
  name: "get_weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

let server: FakeAnthropicServer;
let baseUrl: string;

async function startServer(options: ConstructorParameters<typeof FakeAnthropicServer>[0] = {}) {
  server = new FakeAnthropicServer({ apiKey: KEY, ...options });
  ({ baseUrl } = await server.start());
}

function provider(overrides: Partial<ModelSpec> = {}) {
  return new AiSdkModelProvider({
    provider: "anthropic",
    type: "anthropic",
    model: "claude-sonnet-4-5",
    baseUrl,
    apiKey: KEY,
    ...overrides,
  });
}

const hello: ChatMessage[] = [{ role: "user", content: "Hello there" }];

beforeEach(() => startServer());
afterEach(() => server.close());

describe("AiSdkModelProvider with Anthropic", () => {
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
    expect(parts.at(-1)?.type).toBe("finish");
  });

  it("sends the explicit key, the API version, the model and the system prompt", async () => {
    await collectStream(provider().stream({ system: "Be brief.", messages: hello, tools: [] }));

    const request = server.lastRequest!;
    expect(request.path).toBe("/v1/messages");
    expect(request.headers["x-api-key"]).toBe(KEY);
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.body).toMatchObject({
      model: "claude-sonnet-4-5",
      stream: true,
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", content: [{ type: "text", text: "Hello there" }] }],
    });
  });

  it("round-trips a tool call: the tool result goes back as a tool_result block", async () => {
    server.enqueue(
      {
        type: "tool-call",
        toolCallId: "toolu_01",
        toolName: "get_weather",
        input: { city: "Paris" },
        text: "Checking.",
      },
      { type: "text", text: "It is sunny in Paris." },
    );
    const first = await collectStream(provider().stream({ messages: hello, tools: [weatherTool] }));

    expect(first).toContainEqual({
      type: "tool-call",
      toolCallId: "toolu_01",
      toolName: "get_weather",
      input: { city: "Paris" },
    });
    expect(finishOf(first)?.finishReason).toBe("tool-calls");
    expect(server.requests[0]?.body).toMatchObject({
      tools: [
        {
          name: "get_weather",
          description: "Current weather for a city",
          input_schema: weatherTool.parameters,
        },
      ],
    });

    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "Checking.",
        toolCalls: [{ id: "toolu_01", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "toolu_01", toolName: "get_weather", content: "sunny, 24C" },
    ];
    const second = await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    expect(textDeltas(second).join("")).toBe("It is sunny in Paris.");
    const body = server.requests[1]?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Hello there" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "sunny, 24C" }],
      },
    ]);
  });

  it("marks a failed tool result as is_error", async () => {
    const history: ChatMessage[] = [
      ...hello,
      { role: "assistant", content: "", toolCalls: [{ id: "toolu_02", name: "get_weather", input: {} }] },
      {
        role: "tool",
        toolCallId: "toolu_02",
        toolName: "get_weather",
        content: "city is required",
        isError: true,
      },
    ];
    await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    const body = server.lastRequest?.body as { messages: Array<{ content: unknown }> };
    expect(body.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "toolu_02", content: "city is required", is_error: true },
    ]);
  });

  it.each([
    [401, "authentication_error"],
    [429, "rate_limit_error"],
    [500, "api_error"],
  ])(
    "turns an HTTP %i into a 502 error (OC_ERR_PROVIDER_AUTH for 401) with the provider's message and no key",
    async (status) => {
      server.enqueue({ type: "error", status, message: `request refused for key ${KEY}` });
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
          ? `anthropic refused the gateway's key for it (401): request refused for key [redacted]`
          : `anthropic answered ${status}: request refused for key [redacted]`,
      );
      expect(JSON.stringify({ ...error, message: error.message, hint: error.hint })).not.toContain(KEY);
      expect(server.requests).toHaveLength(1);
    },
  );

  it("reports a wrong key as the provider's 401", async () => {
    const error = await collectStream(
      provider({ apiKey: "sk-ant-wrong" }).stream({ messages: hello, tools: [] }),
    ).catch((caught) => caught);

    expect(error).toMatchObject({
      code: "OC_ERR_PROVIDER_AUTH",
      message: "anthropic refused the gateway's key for it (401): invalid x-api-key",
    });
  });

  it("turns a mid-stream error event into OC_ERR_MODEL_PROVIDER", async () => {
    server.enqueue({ type: "stream-error", text: "Partial answer", message: "Overloaded" });
    const error = await collectStream(provider().stream({ messages: hello, tools: [] })).catch(
      (caught) => caught,
    );

    expect(error).toBeInstanceOf(OpenClawError);
    expect(error.code).toBe("OC_ERR_MODEL_PROVIDER");
    expect(error.message).toContain("Overloaded");
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
        if (deltas.length === 2) controller.abort(new Error("user pressed stop"));
      }
    };

    await expect(run()).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(deltas).toHaveLength(2);
  });

  it("passes extended thinking as a provider option when a budget is set", async () => {
    await collectStream(provider({ thinkingBudgetTokens: 4096 }).stream({ messages: hello, tools: [] }));

    expect(server.lastRequest?.body).toMatchObject({ thinking: { type: "enabled", budget_tokens: 4096 } });
  });

  describe("with ANTHROPIC_API_KEY in the environment", () => {
    const canary = "sk-ant-env-canary-must-not-be-used";
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.ANTHROPIC_API_KEY;
      process.env.ANTHROPIC_API_KEY = canary;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    });

    it("refuses to build without an explicit key instead of using the environment's", () => {
      let caught: unknown;
      try {
        provider({ apiKey: undefined });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: "OC_ERR_MODEL_CONFIG" });
      expect((caught as OpenClawError).hint).toContain("models.providers.anthropic.apiKey");
      expect((caught as OpenClawError).hint).toContain("externalSecrets");
      expect(server.requests).toHaveLength(0);
    });

    it("sends the configured key, not the environment's", async () => {
      await collectStream(provider().stream({ messages: hello, tools: [] }));

      expect(server.lastRequest?.headers["x-api-key"]).toBe(KEY);
      expect(JSON.stringify(server.requests)).not.toContain(canary);
    });
  });
});
