import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { createModelProvider } from "./create-model.js";
import { collectStream, finishOf, textDeltas } from "./testing/collect-stream.js";
import { FakeOpenAIServer } from "./testing/fake-openai-server.js";
import type { ChatMessage, ModelSpec, ToolDescriptor } from "./types.js";

const KEY = "local-secret-0123456789";
const searchTool: ToolDescriptor = {
  name: "search",
  description: "Search the notes",
  parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
};

let server: FakeOpenAIServer;
let baseUrl: string;

async function startServer(options: ConstructorParameters<typeof FakeOpenAIServer>[0] = {}) {
  server = new FakeOpenAIServer(options);
  ({ baseUrl } = await server.start());
}

function provider(overrides: Partial<ModelSpec> = {}) {
  return new AiSdkModelProvider({
    provider: "local",
    type: "openai-compatible",
    model: "gpt-oss-120b",
    baseUrl,
    ...overrides,
  });
}

const hello: ChatMessage[] = [{ role: "user", content: "Hello there" }];

beforeEach(() => startServer());
afterEach(() => server.close());

describe("AiSdkModelProvider with an openai-compatible server", () => {
  it("streams text as several deltas and reports usage", async () => {
    server.enqueue({
      type: "text",
      text: "Local models are fast.",
      usage: { inputTokens: 12, outputTokens: 5 },
    });
    const parts = await collectStream(provider().stream({ messages: hello, tools: [] }));

    const deltas = textDeltas(parts);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Local models are fast.");
    expect(finishOf(parts)).toMatchObject({
      finishReason: "stop",
      usage: { inputTokens: 12, outputTokens: 5 },
    });
    expect(server.lastRequest?.body).toMatchObject({
      model: "gpt-oss-120b",
      stream_options: { include_usage: true },
    });
  });

  it("maps a length cut-off to finishReason length", async () => {
    server.enqueue({ type: "text", text: "Truncated", finishReason: "length" });
    const parts = await collectStream(provider().stream({ messages: hello, tools: [] }));

    expect(finishOf(parts)?.finishReason).toBe("length");
  });

  it("sends no Authorization header when no key is configured", async () => {
    await collectStream(provider().stream({ messages: hello, tools: [] }));

    expect(server.lastRequest?.headers.authorization).toBeUndefined();
  });

  it("sends the explicit key as a Bearer token and the configured headers", async () => {
    await server.close();
    await startServer({ apiKey: KEY });
    await collectStream(
      provider({ apiKey: KEY, headers: { "x-tenant": "lab" } }).stream({ messages: hello, tools: [] }),
    );

    expect(server.lastRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.lastRequest?.headers["x-tenant"]).toBe("lab");
  });

  it("round-trips a tool call: the tool result goes back as a tool message", async () => {
    server.enqueue(
      { type: "tool-call", toolCallId: "call_7", toolName: "search", input: { query: "invoices" } },
      { type: "text", text: "Found 3 invoices." },
    );
    const first = await collectStream(provider().stream({ messages: hello, tools: [searchTool] }));

    expect(first).toContainEqual({
      type: "tool-call",
      toolCallId: "call_7",
      toolName: "search",
      input: { query: "invoices" },
    });
    expect(finishOf(first)?.finishReason).toBe("tool-calls");

    const history: ChatMessage[] = [
      ...hello,
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_7", name: "search", input: { query: "invoices" } }],
      },
      { role: "tool", toolCallId: "call_7", toolName: "search", content: "3 results" },
    ];
    const second = await collectStream(provider().stream({ messages: history, tools: [searchTool] }));

    expect(textDeltas(second).join("")).toBe("Found 3 invoices.");
    const body = server.requests[1]?.body as { messages: Array<Record<string, unknown>> };
    expect(body.messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [
        { id: "call_7", type: "function", function: { name: "search", arguments: '{"query":"invoices"}' } },
      ],
    });
    expect(body.messages[2]).toEqual({ role: "tool", tool_call_id: "call_7", content: "3 results" });
  });

  it.each([401, 429, 500])("turns an HTTP %i into a 502 error without the key", async (status) => {
    server.enqueue({ type: "error", status, message: `backend said no to ${KEY}` });
    const error = await collectStream(provider({ apiKey: KEY }).stream({ messages: hello, tools: [] })).catch(
      (caught) => caught,
    );

    expect(error).toBeInstanceOf(OpenClawError);
    expect(error.code).toBe(status === 401 ? "OC_ERR_PROVIDER_AUTH" : "OC_ERR_MODEL_PROVIDER");
    expect(error.spec.status).toBe(502);
    expect(error.message).toBe(
      status === 401
        ? "local refused the gateway's key for it (401): backend said no to [redacted]"
        : `local answered ${status}: backend said no to [redacted]`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("says the server could not be reached when nothing listens at baseUrl", async () => {
    await server.close();
    const error = await collectStream(provider().stream({ messages: hello, tools: [] })).catch(
      (caught) => caught,
    );

    expect(error).toMatchObject({ code: "OC_ERR_MODEL_PROVIDER" });
    expect(error.message).toMatch(/^local could not be reached: /);
    expect(error.hint).toContain(baseUrl);
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
        if (deltas.length === 3) controller.abort();
      }
    };

    await expect(run()).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(deltas).toHaveLength(3);
  });

  it("rejects at once when the signal is already aborted, without calling the server", async () => {
    const parts = provider().stream({ messages: hello, tools: [], signal: AbortSignal.abort() });

    await expect(collectStream(parts)).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses to build without a baseUrl", async () => {
    await expect(
      createModelProvider({ provider: "local", type: "openai-compatible", model: "m" }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: "OC_ERR_MODEL_CONFIG",
        hint: expect.stringContaining("models.providers.local.baseUrl"),
      }),
    );
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

    it("never sends the environment's key to a keyless server", async () => {
      await collectStream(provider().stream({ messages: hello, tools: [] }));

      expect(server.lastRequest?.headers.authorization).toBeUndefined();
      expect(JSON.stringify(server.requests)).not.toContain(canary);
    });
  });
});
