import { AiSdkModelProvider } from "../../ai-sdk-model.js";
import { FakeAnthropicServer } from "../../testing/fake-anthropic-server.js";
import { FakeOpenAIServer } from "../../testing/fake-openai-server.js";
import type { FakeProviderServer } from "../../testing/fake-provider-server.js";
import type { ModelSpec } from "../../types.js";
import type { ProviderUnderTest } from "../provider-under-test.js";
import { HELLO } from "../suite-context.js";

/** Which wire format the fake server speaks: Anthropic's Messages or OpenAI's Chat Completions. */
export type FakeServerKind = "anthropic" | "openai";

export interface RemoteTargetOptions {
  server: FakeServerKind;
  /** The provider as configured, without what the fake server decides (baseUrl, key). */
  spec: Pick<ModelSpec, "provider" | "type" | "model">;
}

/** Cached tokens are counted within inputTokens, as the runtime and usage ledger expect. */
const SCRIPTED_USAGE = { inputTokens: 30, outputTokens: 7, cachedInputTokens: 10 };

/**
 * An AI SDK adapter against a fake of its provider's API: a real HTTP server on loopback that
 * requires the key, so that the SDK's own HTTP, SSE parsing, error and abort paths all run.
 */
export async function remoteProviderUnderTest(options: RemoteTargetOptions): Promise<ProviderUnderTest> {
  const apiKey = `sk-${options.spec.provider}-conformance-0123456789abcdef`;
  const server: FakeProviderServer =
    options.server === "anthropic" ? new FakeAnthropicServer({ apiKey }) : new FakeOpenAIServer({ apiKey });
  const { baseUrl } = await server.start();
  let calls = 0;
  return {
    providerName: options.spec.provider,
    stopsForLength: true,
    create: (overrides = {}) =>
      new AiSdkModelProvider(
        {
          ...options.spec,
          baseUrl,
          apiKey: overrides.apiKey ?? apiKey,
          ...(overrides.timeoutMs !== undefined ? { timeoutMs: overrides.timeoutMs } : {}),
        },
        undefined,
        overrides.clock,
      ),
    scriptText(text, scriptOptions = {}) {
      server.enqueue({
        type: "text",
        text,
        usage: SCRIPTED_USAGE,
        ...(scriptOptions.finishReason ? { finishReason: scriptOptions.finishReason } : {}),
      });
      return { messages: HELLO, expectedText: text, expectedUsage: SCRIPTED_USAGE };
    },
    scriptToolCall(tool, input) {
      calls += 1;
      const id = `call_conformance_${calls}`;
      server.enqueue({ type: "tool-call", toolCallId: id, toolName: tool.name, input });
      return { messages: HELLO, call: { id, name: tool.name, input } };
    },
    scriptAnswerToToolResult(_toolName, result) {
      const expectedText = `The tool said: ${result}.`;
      server.enqueue({ type: "text", text: expectedText });
      return { expectedText };
    },
    remote: {
      apiKey,
      baseUrl,
      requests: () => server.requests,
      abandonedRequests: () => server.abandonedRequests,
      scriptHttpError: (status, message) => server.enqueue({ type: "error", status, message }),
      scriptStreamError: (text, message) => server.enqueue({ type: "stream-error", text, message }),
      scriptStall: (text) => server.enqueue({ type: "text", text, stall: true }),
      scriptSilence: () => server.enqueue({ type: "silence" }),
      stopServer: () => server.close(),
    },
    close: () => server.close(),
  };
}
