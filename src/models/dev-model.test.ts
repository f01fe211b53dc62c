import { describe, expect, it } from "vitest";
import { createModelProvider } from "./create-model.js";
import { DevModel, parseToolCommand } from "./dev-model.js";
import { collectStream, finishOf, textDeltas } from "./testing/collect-stream.js";
import type { ChatMessage, ToolDescriptor } from "./types.js";

const echoTool: ToolDescriptor = { name: "echo", description: "Echoes", parameters: { type: "object" } };

describe("parseToolCommand", () => {
  it("parses a tool name and JSON arguments", () => {
    expect(parseToolCommand('/tool files.read {"path": "a.txt"}')).toEqual({
      name: "files.read",
      input: { path: "a.txt" },
    });
  });

  it("defaults the arguments to an empty object", () => {
    expect(parseToolCommand("/tool clock")).toEqual({ name: "clock", input: {} });
  });

  it("reports invalid JSON arguments", () => {
    expect(parseToolCommand("/tool clock {oops")).toMatchObject({
      error: expect.stringContaining("not valid JSON"),
    });
  });

  it("ignores text that is not a tool command", () => {
    expect(parseToolCommand("hello /tool x")).toBeNull();
  });
});

describe("DevModel", () => {
  it("echoes the user's message as several deltas and reports usage", async () => {
    const parts = await collectStream(
      new DevModel().stream({ messages: [{ role: "user", content: "hello dev model" }], tools: [] }),
    );

    expect(textDeltas(parts).length).toBeGreaterThan(1);
    expect(textDeltas(parts).join("")).toBe("You said: hello dev model");
    expect(finishOf(parts)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 3, outputTokens: 5 },
    });
  });

  it("calls a known tool on /tool and then reports its result", async () => {
    const model = new DevModel();
    const first = await collectStream(
      model.stream({ messages: [{ role: "user", content: '/tool echo {"text":"hi"}' }], tools: [echoTool] }),
    );

    expect(first).toContainEqual({
      type: "tool-call",
      toolCallId: "dev-call-1",
      toolName: "echo",
      input: { text: "hi" },
    });
    expect(finishOf(first)?.finishReason).toBe("tool-calls");

    const history: ChatMessage[] = [
      { role: "user", content: '/tool echo {"text":"hi"}' },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "dev-call-1", name: "echo", input: { text: "hi" } }],
      },
      { role: "tool", toolCallId: "dev-call-1", toolName: "echo", content: "hi" },
    ];
    const second = await collectStream(model.stream({ messages: history, tools: [echoTool] }));
    expect(textDeltas(second).join("")).toBe("Tool echo returned: hi");
  });

  it("names the available tools when asked for an unknown one", async () => {
    const parts = await collectStream(
      new DevModel().stream({ messages: [{ role: "user", content: "/tool nope" }], tools: [echoTool] }),
    );

    expect(textDeltas(parts).join("")).toBe('Unknown tool "nope". Available tools: echo.');
  });

  it("stops when its signal is aborted", async () => {
    const parts = new DevModel().stream({
      messages: [{ role: "user", content: "hi" }],
      tools: [],
      signal: AbortSignal.abort(new Error("stop")),
    });

    await expect(collectStream(parts)).rejects.toThrow("stop");
  });
});

describe("createModelProvider", () => {
  it("builds the offline DevModel for dev specs, with no key", async () => {
    const model = await createModelProvider({ provider: "dev", type: "dev", model: "echo" });

    expect(model).toBeInstanceOf(DevModel);
    expect(model.id).toBe("dev/echo");
  });

  it("builds an AI SDK provider for other types", async () => {
    const model = await createModelProvider({
      provider: "local",
      type: "openai-compatible",
      model: "m",
      baseUrl: "http://127.0.0.1:8000/v1",
    });

    expect(model).not.toBeInstanceOf(DevModel);
    expect(model.id).toBe("local/m");
  });
});
