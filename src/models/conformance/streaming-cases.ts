import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectStream, finishOf, textDeltas } from "../testing/collect-stream.js";
import type { ChatMessage, ModelStreamPart } from "../types.js";
import { type SuiteContext, WEATHER_TOOL } from "./suite-context.js";

const ANSWER = "The quick brown fox jumps over the lazy dog.";

/** Text, usage, finish reasons and the tool-call round trip: what every turn relies on. */
export function streamingCases(context: SuiteContext): void {
  it("streams text as several non-empty deltas, then exactly one finish, last", async () => {
    const scripted = context.target.scriptText(ANSWER);
    const parts = await collectStream(
      context.target.create().stream({ messages: scripted.messages, tools: [] }),
    );

    const deltas = textDeltas(parts);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((delta) => delta !== "")).toBe(true);
    expect(deltas.join("")).toBe(scripted.expectedText);
    expect(parts.filter((part) => part.type === "finish")).toHaveLength(1);
    expect(parts.at(-1)?.type).toBe("finish");
  });

  it("reports the usage of the answer in its finish", async () => {
    const scripted = context.target.scriptText(ANSWER);
    const parts = await collectStream(
      context.target.create().stream({ messages: scripted.messages, tools: [] }),
    );

    expect(finishOf(parts)?.usage).toEqual(scripted.expectedUsage);
  });

  it('finishes a plain answer with "stop"', async () => {
    const scripted = context.target.scriptText(ANSWER);
    const parts = await collectStream(
      context.target.create().stream({ messages: scripted.messages, tools: [] }),
    );

    expect(finishOf(parts)?.finishReason).toBe("stop");
  });

  it('finishes an answer cut off by the token limit with "length"', async (test) => {
    if (!context.target.stopsForLength) test.skip();
    const scripted = context.target.scriptText(ANSWER, { finishReason: "length" });
    const parts = await collectStream(
      context.target.create().stream({ messages: scripted.messages, tools: [] }),
    );

    expect(finishOf(parts)?.finishReason).toBe("length");
  });

  it('round-trips a tool call: the call, "tool-calls", then an answer to its result', async () => {
    const model = context.target.create();
    const scripted = context.target.scriptToolCall(WEATHER_TOOL, { city: "Paris" });
    const first = await collectStream(model.stream({ messages: scripted.messages, tools: [WEATHER_TOOL] }));

    const calls = first.filter((part) => part.type === "tool-call");
    expect(calls).toEqual([
      {
        type: "tool-call",
        toolCallId: scripted.call.id,
        toolName: "get_weather",
        input: { city: "Paris" },
      } satisfies ModelStreamPart,
    ]);
    expect(finishOf(first)?.finishReason).toBe("tool-calls");

    const answer = context.target.scriptAnswerToToolResult("get_weather", "sunny, 24C");
    const history: ChatMessage[] = [
      ...scripted.messages,
      { role: "assistant", content: "", toolCalls: [scripted.call] },
      { role: "tool", toolCallId: scripted.call.id, toolName: "get_weather", content: "sunny, 24C" },
    ];
    const second = await collectStream(model.stream({ messages: history, tools: [WEATHER_TOOL] }));

    expect(textDeltas(second).join("")).toBe(answer.expectedText);
    expect(finishOf(second)?.finishReason).toBe("stop");
    const remote = context.target.remote;
    if (remote) {
      // Whatever the wire format, the model was offered the tool and got the result back, tied to its call.
      const [offered, answered] = remote.requests().map((request) => JSON.stringify(request.body));
      expect(offered).toContain(WEATHER_TOOL.description);
      expect(answered).toContain("sunny, 24C");
      expect(answered).toContain(scripted.call.id);
    }
  });

  environmentKeyCases(context);
}

const ENVIRONMENT_KEYS = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"] as const;
const CANARY = "sk-environment-canary-must-never-be-sent";

/** The SDKs fall back to these variables when no key is passed; the gateway never lets them. */
function environmentKeyCases(context: SuiteContext): void {
  describe("with provider keys in the environment", () => {
    const saved = new Map<string, string | undefined>();
    beforeEach(() => {
      for (const name of ENVIRONMENT_KEYS) {
        saved.set(name, process.env[name]);
        process.env[name] = CANARY;
      }
    });
    afterEach(() => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it("sends the configured key and never one from the environment", async (test) => {
      const remote = context.target.remote;
      if (!remote) return test.skip();
      const scripted = context.target.scriptText(ANSWER);
      await collectStream(context.target.create().stream({ messages: scripted.messages, tools: [] }));

      const sent = JSON.stringify(remote.requests());
      expect(sent).toContain(remote.apiKey);
      expect(sent).not.toContain(CANARY);
    });
  });
}
