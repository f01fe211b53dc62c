import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, withTestAuth } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";

// OpenResponses (POST /v1/responses) with the official openai client, streaming and not.
describe("POST /v1/responses with the official openai client", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    home = await tempHome({ agents: { main: { model: "dev/echo" }, analyst: { model: "dev/echo" } } });
    gateway = await startGateway(home);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("answers a non-streaming request with a completed response", async () => {
    const { data: response, response: raw } = await client.responses
      .create({ model: "openclaw/analyst", input: "what is two plus two" })
      .withResponse();
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.id).toMatch(/^resp_/);
    expect(response.model).toBe("openclaw/analyst");
    expect(response.output_text).toBe("You said: what is two plus two");
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(raw.headers.get("x-openclaw-session-key")).toMatch(/^agent:analyst:openai:request:/);
  });

  it("takes item input with instructions, and routes by user", async () => {
    const { data: response, response: raw } = await client.responses
      .create({
        model: "openclaw",
        instructions: "Be brief.",
        user: "conv-42",
        input: [
          { role: "user", content: "first question" },
          { role: "assistant", content: "first answer" },
          { type: "message", role: "user", content: [{ type: "input_text", text: "second question" }] },
        ],
      })
      .withResponse();
    expect(response.output_text).toBe("You said: second question");
    expect(response.instructions).toBe("Be brief.");
    expect(raw.headers.get("x-openclaw-session-key")).toBe("agent:main:openai:conv-42");
  });

  it("streams OpenAI's event sequence, text in several deltas", async () => {
    const stream = await client.responses.create({
      model: "openclaw/analyst",
      input: "stream these five words please",
      stream: true,
    });
    const types: string[] = [];
    const deltas: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
      if (event.type === "response.completed") completed = event.response;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("You said: stream these five words please");
    const unique = types.filter((type, index) => type !== types[index - 1]);
    expect(unique).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(completed?.status).toBe("completed");
    expect(completed?.output[0]).toMatchObject({
      type: "message",
      content: [{ type: "output_text", text: "You said: stream these five words please" }],
    });
  });

  it("drives the SDK's responses.stream helper to a final response", async () => {
    const stream = client.responses.stream({ model: "openclaw/default", input: "hello stream helper" });
    let text = "";
    stream.on("response.output_text.delta", (event) => {
      text += event.delta;
    });
    const final = await stream.finalResponse();
    expect(text).toBe("You said: hello stream helper");
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("You said: hello stream helper");
  });

  it("raises the SDK's typed errors: unknown agent, a tool_choice naming no tool, previous_response_id", async () => {
    const unknown = await client.responses
      .create({ model: "openclaw/nobody", input: "hi" })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const pinned = await client.responses
      .create({
        model: "openclaw",
        input: "hi",
        tools: [{ type: "function", name: "f", parameters: {}, strict: false }],
        tool_choice: { type: "function", name: "not_among_them" },
      })
      .catch((error: unknown) => error);
    expect(pinned).toBeInstanceOf(OpenAI.BadRequestError);
    const previous = await client.responses
      .create({ model: "openclaw", input: "hi", previous_response_id: "resp_1" })
      .catch((error: unknown) => error);
    expect(previous).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((previous as Error).message)).toContain("previous_response_id");
  });
});

describe("POST /v1/responses when the model stops short or fails", () => {
  const API_KEY = "sk-fake-responses";
  const running = useProviderGateway({
    server: () => new FakeOpenAIServer({ apiKey: API_KEY }),
    config: ({ baseUrl }) =>
      withTestAuth({
        models: { providers: { openai: { baseUrl, apiKey: API_KEY } } },
        agents: { main: { model: "openai/gpt-4o-mini" } },
      }),
  });
  const client = () => new OpenAI({ baseURL: `${running.gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });

  it("answers incomplete when the output budget ran out", async () => {
    running.provider.enqueue({ type: "text", text: "a long answer cut", finishReason: "length" });
    const response = await client().responses.create({ model: "openclaw", input: "go on" });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output[0]).toMatchObject({ status: "incomplete" });
  });

  it("ends a stream that fails midway with response.failed, the partial text kept", async () => {
    running.provider.enqueue({ type: "stream-error", text: "partial words here", message: "upstream broke" });
    const stream = await client().responses.create({ model: "openclaw", input: "hi", stream: true });
    const types: string[] = [];
    let failed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.failed") failed = event.response;
    }
    expect(types).toContain("response.output_text.delta");
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    expect(failed?.status).toBe("failed");
    expect(failed?.error?.message).toContain("upstream broke");
  });
});
