import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenClawError } from "../errors.js";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { collectStream } from "./testing/collect-stream.js";
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

/**
 * What only the Anthropic adapter does: the Messages API's wire format and its options. The
 * behaviour every provider shares (streaming, tools, usage, errors, abort, timeout) is held to
 * by the conformance suite (conformance/conformance.test.ts).
 */
describe("AiSdkModelProvider with Anthropic", () => {
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

  it("offers tools with their input_schema", async () => {
    await collectStream(provider().stream({ messages: hello, tools: [weatherTool] }));

    expect(server.lastRequest?.body).toMatchObject({
      tools: [
        {
          name: "get_weather",
          description: "Current weather for a city",
          input_schema: weatherTool.parameters,
        },
      ],
    });
  });

  it("sends a tool call back as a tool_use block and its result as a tool_result block", async () => {
    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "Checking.",
        toolCalls: [{ id: "toolu_01", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "toolu_01", toolName: "get_weather", content: "sunny, 24C" },
    ];
    await collectStream(provider().stream({ messages: history, tools: [weatherTool] }));

    const body = server.lastRequest?.body as { messages: unknown[] };
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
  });
});
