import { describe, expect, it } from "vitest";
import { createModelProvider } from "./create-model.js";
import { DevModel, parseToolCommand } from "./dev-model.js";
import { collectStream, finishOf, textDeltas } from "./testing/collect-stream.js";
import type { ToolDescriptor } from "./types.js";

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

/*
 * Echoing, `/tool` calls and their results, usage, finish reasons and abort are held to by the
 * conformance suite (conformance/conformance.test.ts), like every provider's. What is the dev
 * model's own is how it answers a command it cannot carry out.
 */
describe("DevModel", () => {
  it("names the available tools when asked for an unknown one", async () => {
    const parts = await collectStream(
      new DevModel().stream({ messages: [{ role: "user", content: "/tool nope" }], tools: [echoTool] }),
    );

    expect(textDeltas(parts).join("")).toBe('Unknown tool "nope". Available tools: echo.');
  });

  it("says what is wrong with arguments that are not JSON, instead of calling the tool", async () => {
    const parts = await collectStream(
      new DevModel().stream({ messages: [{ role: "user", content: "/tool echo {oops" }], tools: [echoTool] }),
    );

    expect(parts.some((part) => part.type === "tool-call")).toBe(false);
    expect(textDeltas(parts).join("")).toMatch(/^the arguments of \/tool echo are not valid JSON/);
    expect(finishOf(parts)?.finishReason).toBe("stop");
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
