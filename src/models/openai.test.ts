import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { collectStream } from "./testing/collect-stream.js";
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

/**
 * What only the OpenAI adapter does: Chat Completions' wire format. The behaviour every provider
 * shares (streaming, tools, usage, errors, abort, timeout) is held to by the conformance suite
 * (conformance/conformance.test.ts).
 */
describe("AiSdkModelProvider with OpenAI", () => {
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

  it("offers tools as functions with their parameters", async () => {
    await collectStream(provider().stream({ messages: hello, tools: [weatherTool] }));

    expect(server.lastRequest?.body).toMatchObject({
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
  });

  it("sends a tool call back as tool_calls and its result as a tool message", async () => {
    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_01", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "call_01", toolName: "get_weather", content: "sunny, 24C" },
    ];
    await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    const body = server.lastRequest?.body as { messages: unknown[] };
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
  });
});
