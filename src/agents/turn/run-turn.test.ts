import { describe, expect, it } from "vitest";
import { DevModel } from "../../models/dev-model.js";
import type { ModelProvider, ModelRequest, ModelStreamPart } from "../../models/types.js";
import { BUILTIN_TOOLS, type Tool } from "../../tools/index.js";
import { runAgentTurn } from "./run-turn.js";
import type { TurnEvent } from "./turn-events.js";

function turn(
  text: string,
  options: { tools?: readonly Tool[]; model?: ModelProvider; maxSteps?: number; signal?: AbortSignal } = {},
) {
  const events: TurnEvent[] = [];
  const result = runAgentTurn({
    agentId: "test",
    sessionKey: "s",
    model: options.model ?? new DevModel(),
    tools: options.tools ?? BUILTIN_TOOLS,
    messages: [{ role: "user", content: text }],
    signal: options.signal ?? new AbortController().signal,
    emit: (event) => events.push(event),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
  });
  return { result, events };
}

describe("runAgentTurn", () => {
  it("streams a plain answer as several text deltas", async () => {
    const { result, events } = turn("one two three");
    const outcome = await result;
    expect(outcome.text).toBe("You said: one two three");
    expect(events.filter((event) => event.type === "text-delta").length).toBeGreaterThan(2);
    expect(outcome.messages).toEqual([{ role: "assistant", content: "You said: one two three" }]);
    expect(outcome.steps).toBe(1);
  });

  it("runs a tool and feeds its result back to the model", async () => {
    const { result, events } = turn('/tool echo {"text":"hi"}');
    const outcome = await result;
    expect(outcome.text).toBe("Tool echo returned: hi");
    expect(outcome.steps).toBe(2);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["tool-call", "tool-result"]));
    expect(outcome.messages.map((message) => message.role)).toEqual(["assistant", "tool", "assistant"]);
  });

  it("reports a failing tool to the model as a tool error instead of failing the turn", async () => {
    const failing: Tool = {
      name: "explode",
      description: "always fails",
      parameters: { type: "object" },
      execute: async () => {
        throw new Error("kaboom");
      },
    };
    const { result, events } = turn("/tool explode {}", { tools: [failing] });
    const outcome = await result;
    expect(outcome.text).toBe("Tool explode failed: kaboom");
    expect(events).toContainEqual(
      expect.objectContaining({ type: "tool-result", isError: true, output: "kaboom" }),
    );
  });

  it("answers a call of an unknown tool with a tool error listing the available ones", async () => {
    // A model that calls a tool it was not given (the dev model refuses such calls itself, so
    // it cannot reach this branch): the turn goes on, and the model reads why the call failed.
    let second: ModelRequest | undefined;
    const confused: ModelProvider = {
      id: "test/confused",
      async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
        if (request.messages.some((message) => message.role === "tool")) {
          second = request;
          yield { type: "text-delta", text: "sorry" };
          yield { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
          return;
        }
        yield { type: "tool-call", toolCallId: "c1", toolName: "nope", input: {} };
        yield { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
    const { result, events } = turn("call something", { model: confused });
    const outcome = await result;
    expect(outcome.text).toBe("sorry");
    const error = 'unknown tool "nope"; available tools: echo, current_time';
    expect(events).toContainEqual(
      expect.objectContaining({ type: "tool-result", toolName: "nope", isError: true, output: error }),
    );
    expect(second?.messages.at(-1)).toMatchObject({ role: "tool", toolCallId: "c1", content: error });
  });

  it("stops a tool loop at maxSteps", async () => {
    const looping: ModelProvider = {
      id: "test/loop",
      async *stream(_request: ModelRequest): AsyncIterable<ModelStreamPart> {
        yield {
          type: "tool-call",
          toolCallId: `c${Math.random()}`,
          toolName: "echo",
          input: { text: "again" },
        };
        yield { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
    const outcome = await turn("loop", { model: looping, maxSteps: 3 }).result;
    expect(outcome.steps).toBe(3);
    expect(outcome.finishReason).toBe("length");
    expect(outcome.text).toMatch(/stopped after 3 model steps/);
    expect(outcome.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("user abort"));
    await expect(turn("hello", { signal: controller.signal }).result).rejects.toThrow("user abort");
  });
});

describe("runAgentTurn with client tools and direct invocations", () => {
  const base = {
    agentId: "test",
    sessionKey: "s",
    tools: BUILTIN_TOOLS,
    signal: new AbortController().signal,
  };
  const silentModel: ModelProvider = {
    id: "never/called",
    stream: () => {
      throw new Error("the model must not be called");
    },
  };

  it("stops at a step that calls a client tool and hands the call back", async () => {
    const events: TurnEvent[] = [];
    const outcome = await runAgentTurn({
      ...base,
      model: new DevModel(),
      messages: [{ role: "user", content: '/tool get_weather {"city":"Oslo"}' }],
      clientTools: [{ name: "get_weather", description: "", parameters: { type: "object" } }],
      emit: (event) => events.push(event),
    });
    expect(outcome.finishReason).toBe("tool-calls");
    expect(outcome.clientToolCalls).toMatchObject([{ name: "get_weather", input: { city: "Oslo" } }]);
    expect(outcome.steps).toBe(1);
    expect(events.some((event) => event.type === "tool-result")).toBe(false);
  });

  it("refuses a client tool named like one of the agent's", async () => {
    await expect(
      runAgentTurn({
        ...base,
        model: new DevModel(),
        messages: [{ role: "user", content: "hi" }],
        clientTools: [{ name: "echo", description: "", parameters: { type: "object" } }],
        emit: () => {},
      }),
    ).rejects.toMatchObject({ code: "OC_ERR_BAD_REQUEST" });
  });

  it("runs an invoked tool without a model step, its failures typed", async () => {
    const invoke = (name: string, input: unknown) =>
      runAgentTurn({
        ...base,
        model: silentModel,
        messages: [],
        emit: () => {},
        invoke: { id: "c1", name, input },
      });
    expect(await invoke("echo", { text: "hi" })).toMatchObject({ invoked: "hi", steps: 0, messages: [] });
    await expect(invoke("nope", {})).rejects.toMatchObject({ code: "OC_ERR_TOOL_NOT_FOUND" });
    await expect(invoke("echo", { text: 1 })).rejects.toMatchObject({ code: "OC_ERR_TOOL_INPUT" });
  });
});
