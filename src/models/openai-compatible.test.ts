import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { createModelProvider } from "./create-model.js";
import { collectStream } from "./testing/collect-stream.js";
import { FakeOpenAIServer } from "./testing/fake-openai-server.js";
import type { ChatMessage, ModelSpec, ToolDescriptor } from "./types.js";

const KEY = "local-secret-0123456789";
const _searchTool: ToolDescriptor = {
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

/**
 * What only the openai-compatible adapter does: a server that may need no key, extra headers, a
 * required baseUrl, and the usage it must be asked for. The behaviour every provider shares
 * (streaming, tools, usage, errors, abort, timeout) is held to by the conformance suite
 * (conformance/conformance.test.ts).
 */
describe("AiSdkModelProvider with an openai-compatible server", () => {
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

  it("asks the server for usage, which such servers report only when asked", async () => {
    await collectStream(provider().stream({ messages: hello, tools: [] }));

    expect(server.lastRequest?.body).toMatchObject({
      model: "gpt-oss-120b",
      stream: true,
      stream_options: { include_usage: true },
    });
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
