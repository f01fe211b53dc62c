import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { AiSdkModelProvider } from "../../models/ai-sdk-model.js";
import { FakeAnthropicServer } from "../../models/testing/fake-anthropic-server.js";
import { FakeOpenAIServer } from "../../models/testing/fake-openai-server.js";
import type { FakeReply } from "../../models/testing/fake-provider-server.js";
import type { ModelRequest, ModelSpec } from "../../models/types.js";
import { BUILTIN_TOOLS } from "../../tools/index.js";
import { isWorthFallingBack, runModelStepWithFallbacks } from "./model-fallback.js";
import { runAgentTurn } from "./run-turn.js";
import type { TurnEvent } from "./turn-events.js";

const KEY = "sk-test-fallbacks";
let primaryServer: FakeOpenAIServer;
let fallbackServer: FakeAnthropicServer;
let primaryUrl: string;
let fallbackUrl: string;

beforeEach(async () => {
  primaryServer = new FakeOpenAIServer({ apiKey: KEY });
  fallbackServer = new FakeAnthropicServer({ apiKey: KEY });
  primaryUrl = (await primaryServer.start()).baseUrl;
  fallbackUrl = (await fallbackServer.start()).baseUrl;
});
afterEach(async () => {
  await primaryServer.close();
  await fallbackServer.close();
});

function primary(overrides: Partial<ModelSpec> = {}) {
  return new AiSdkModelProvider({
    provider: "primary",
    type: "openai-compatible",
    model: "big",
    baseUrl: primaryUrl,
    apiKey: KEY,
    ...overrides,
  });
}

function fallback() {
  return new AiSdkModelProvider({
    provider: "backup",
    type: "anthropic",
    model: "claude-sonnet-4-5",
    baseUrl: fallbackUrl,
    apiKey: KEY,
  });
}

function request(): ModelRequest {
  return { messages: [{ role: "user", content: "hello" }], tools: [], signal: new AbortController().signal };
}

async function step(...replies: FakeReply[]) {
  primaryServer.enqueue(...replies);
  const events: TurnEvent[] = [];
  const result = await runModelStepWithFallbacks([primary(), fallback()], request(), (event) =>
    events.push(event),
  );
  return { result, events };
}

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("runModelStepWithFallbacks", () => {
  it.each([503, 500, 429, 404])("answers from the fallback when the primary answers %i", async (status) => {
    const { result, events } = await step({ type: "error", status, message: "not now" });
    expect(result.text).toBe("You said: hello");
    expect(result.answeredBy).toBe(1);
    expect(result.fallbackFrom).toEqual([
      { model: "primary/big", code: "OC_ERR_MODEL_PROVIDER", providerStatus: status },
    ]);
    expect(events.filter((event) => event.type === "text-delta").length).toBeGreaterThan(0);
    expect(primaryServer.requests).toHaveLength(1);
    expect(fallbackServer.requests).toHaveLength(1);
  });

  it.each([
    [400, "OC_ERR_MODEL_PROVIDER"],
    [401, "OC_ERR_PROVIDER_AUTH"],
    [403, "OC_ERR_PROVIDER_AUTH"],
  ])("does not try the fallback when the primary answers %i", async (status, code) => {
    await expect(step({ type: "error", status, message: "no" })).rejects.toMatchObject({ code });
    expect(fallbackServer.requests).toHaveLength(0);
  });

  it("answers from the fallback when the primary refuses connections", async () => {
    const unreachable = primary({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` });
    const result = await runModelStepWithFallbacks([unreachable, fallback()], request(), () => {});
    expect(result.answeredBy).toBe(1);
    expect(result.fallbackFrom).toEqual([{ model: "primary/big", code: "OC_ERR_MODEL_PROVIDER" }]);
  });

  it("answers from the fallback when the primary stays silent past its timeoutMs", async () => {
    primaryServer.enqueue({ type: "silence" });
    const silent = primary({ timeoutMs: 200 });
    const result = await runModelStepWithFallbacks([silent, fallback()], request(), () => {});
    expect(result.answeredBy).toBe(1);
    expect(result.text).toBe("You said: hello");
  });

  it("answers from the fallback when the primary's stream breaks off before any text", async () => {
    const { result } = await step({ type: "stream-error", text: "", message: "overloaded" });
    expect(result.answeredBy).toBe(1);
    expect(result.fallbackFrom).toEqual([
      expect.objectContaining({ model: "primary/big", code: "OC_ERR_MODEL_PROVIDER" }),
    ]);
  });

  it("does not retry elsewhere once text has reached the client", async () => {
    const events: TurnEvent[] = [];
    primaryServer.enqueue({ type: "stream-error", text: "Half an ans", message: "overloaded" });
    await expect(
      runModelStepWithFallbacks([primary(), fallback()], request(), (event) => events.push(event)),
    ).rejects.toMatchObject({ code: "OC_ERR_MODEL_PROVIDER" });
    expect(events).toContainEqual({ type: "text-delta", text: "Half " });
    expect(fallbackServer.requests).toHaveLength(0);
  });

  it("does not try the fallback once the turn is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runModelStepWithFallbacks(
        [primary(), fallback()],
        { ...request(), signal: controller.signal },
        () => {},
      ),
    ).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(fallbackServer.requests).toHaveLength(0);
  });

  it("names every model that failed when the last one fails too", async () => {
    primaryServer.enqueue({ type: "error", status: 503, message: "down" });
    fallbackServer.enqueue({
      type: "error",
      status: 529,
      message: "overloaded",
      errorType: "overloaded_error",
    });
    const failure = await runModelStepWithFallbacks([primary(), fallback()], request(), () => {}).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OpenClawError);
    expect((failure as OpenClawError).message).toMatch(
      /backup answered 529.*after primary\/big failed first/,
    );
    expect((failure as OpenClawError).details?.fallbackFrom).toEqual([
      { model: "primary/big", code: "OC_ERR_MODEL_PROVIDER", providerStatus: 503 },
    ]);
  });
});

describe("runAgentTurn with fallbacks", () => {
  it("records the answering model and keeps to it for the turn's later steps", async () => {
    primaryServer.enqueue({ type: "error", status: 503, message: "down" });
    fallbackServer.enqueue({ type: "tool-call", toolName: "current_time", input: {} });
    const events: TurnEvent[] = [];
    const outcome = await runAgentTurn({
      agentId: "test",
      sessionKey: "s",
      model: primary(),
      fallbacks: [fallback()],
      tools: BUILTIN_TOOLS,
      messages: [{ role: "user", content: "what time is it" }],
      signal: new AbortController().signal,
      emit: (event) => events.push(event),
    });
    expect(outcome.steps).toBe(2);
    const calls = events.flatMap((event) => (event.type === "model-call" ? [event.call] : []));
    expect(calls.map((call) => [call.model, call.fallbackFrom])).toEqual([
      [
        "backup/claude-sonnet-4-5",
        [{ model: "primary/big", code: "OC_ERR_MODEL_PROVIDER", providerStatus: 503 }],
      ],
      ["backup/claude-sonnet-4-5", undefined],
    ]);
    expect(primaryServer.requests).toHaveLength(1);
    expect(fallbackServer.requests).toHaveLength(2);
  });
});

describe("isWorthFallingBack", () => {
  it("leaves errors that are not a provider's failure alone", () => {
    expect(isWorthFallingBack(new Error("boom"))).toBe(false);
    expect(isWorthFallingBack(new OpenClawError("OC_ERR_TURN_TIMEOUT", "late"))).toBe(false);
    expect(
      isWorthFallingBack(
        new OpenClawError("OC_ERR_MODEL_PROVIDER", "x", { details: { providerStatus: 422 } }),
      ),
    ).toBe(false);
  });
});
