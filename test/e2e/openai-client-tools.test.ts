import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { withTestAuth } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";

const API_KEY = "sk-fake-client-tools";
const WEATHER: OpenAI.Chat.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city.",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** The provider request's messages, as the gateway sent them to the model. */
function providerMessages(
  server: FakeOpenAIServer,
): { role: string; content?: unknown; tool_call_id?: string }[] {
  return (server.lastRequest?.body as { messages: { role: string }[] }).messages;
}

/** A gateway whose agent `main` (with the `echo` tool) runs on the fake OpenAI provider, and an OpenAI client of it. */
function useEchoAgentGateway() {
  const running = useProviderGateway({
    server: () => new FakeOpenAIServer({ apiKey: API_KEY }),
    config: ({ baseUrl }) =>
      withTestAuth({
        models: { providers: { openai: { baseUrl, apiKey: API_KEY } } },
        agents: { main: { model: "openai/gpt-4o-mini", tools: ["echo"] } },
      }),
  });
  const client = () => new OpenAI({ baseURL: `${running.gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
  return { running, client };
}

// Client-defined tools round-trip as in OpenAI's API; the agent's own tools still run in the gateway.
describe("client-defined tools in chat completions", () => {
  const { running, client } = useEchoAgentGateway();

  it("returns the model's call of a client tool, and the client's result continues the turn", async () => {
    // The agent's own tool first (run here), then the client's tool (returned to the client).
    running.provider.enqueue(
      { type: "tool-call", toolName: "echo", input: { text: "from the agent" } },
      { type: "tool-call", toolName: "get_weather", input: { city: "Paris" }, toolCallId: "call_w1" },
    );
    const first = await client().chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [WEATHER],
    });
    const offered = (running.provider.lastRequest?.body as { tools: { function: { name: string } }[] }).tools;
    expect(offered.map((tool) => tool.function.name).sort()).toEqual(["echo", "get_weather"]);
    expect(providerMessages(running.provider).some((message) => message.role === "tool")).toBe(true);
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.tool_calls).toEqual([
      { id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);

    running.provider.enqueue({ type: "text", text: "It is sunny in Paris." });
    const second = await client().chat.completions.create({
      model: "openclaw",
      messages: [
        { role: "user", content: "weather in Paris?" },
        choice?.message as OpenAI.Chat.ChatCompletionAssistantMessageParam,
        { role: "tool", tool_call_id: "call_w1", content: '{"sky":"sunny"}' },
      ],
      tools: [WEATHER],
    });
    expect(second.choices[0]?.message.content).toBe("It is sunny in Paris.");
    expect(second.choices[0]?.finish_reason).toBe("stop");
    const sent = providerMessages(running.provider);
    expect(sent.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_w1" });
  });

  it("streams the call as tool_calls deltas the SDK reassembles", async () => {
    running.provider.enqueue({
      type: "tool-call",
      toolName: "get_weather",
      input: { city: "Oslo" },
      toolCallId: "call_w2",
      text: "Let me check.",
    });
    const stream = client().chat.completions.stream({
      model: "openclaw",
      messages: [{ role: "user", content: "weather in Oslo?" }],
      tools: [WEATHER],
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me check.");
    expect(choice?.message.tool_calls?.[0]).toMatchObject({
      id: "call_w2",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
    });
  });

  it("offers no client tool with tool_choice none, and refuses one named like an agent tool", async () => {
    running.provider.enqueue({ type: "text", text: "no tools" });
    await client().chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "hi" }],
      tools: [WEATHER],
      tool_choice: "none",
    });
    const offered =
      (running.provider.lastRequest?.body as { tools?: { function: { name: string } }[] }).tools ?? [];
    expect(offered.map((tool) => tool.function.name)).toEqual(["echo"]);
    const clash = await client()
      .chat.completions.create({
        model: "openclaw",
        messages: [{ role: "user", content: "hi" }],
        tools: [{ type: "function", function: { name: "echo", parameters: { type: "object" } } }],
      })
      .catch((error: unknown) => error);
    expect(clash).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((clash as Error).message)).toContain('"echo" is one of agent "main"');
  });
});

describe("a required tool_choice", () => {
  const { running, client } = useEchoAgentGateway();
  const CLOCK: OpenAI.Chat.ChatCompletionTool = {
    type: "function",
    function: { name: "read_clock", parameters: { type: "object", properties: {} } },
  };

  it("offers only the pinned function, tells the model to call it, and returns the call", async () => {
    running.provider.enqueue({
      type: "tool-call",
      toolName: "get_weather",
      input: { city: "Nice" },
      toolCallId: "call_n1",
    });
    const completion = await client().chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "weather?" }],
      tools: [WEATHER, CLOCK],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    const sent = running.provider.lastRequest?.body as { tools: { function: { name: string } }[] };
    expect(sent.tools.map((tool) => tool.function.name).sort()).toEqual(["echo", "get_weather"]);
    expect(JSON.stringify(providerMessages(running.provider))).toContain(
      "call one of these tools: get_weather",
    );
  });

  it("fails instead of answering when the model does not call the tool, streaming or not", async () => {
    running.provider.enqueue({ type: "text", text: "I will not call it." });
    const plain = await client()
      .chat.completions.create({
        model: "openclaw",
        messages: [{ role: "user", content: "weather?" }],
        tools: [WEATHER],
        tool_choice: "required",
      })
      .catch((error: unknown) => error);
    expect(plain).toBeInstanceOf(OpenAI.APIError);
    expect((plain as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect(String((plain as Error).message)).toContain("which tool_choice requires");

    running.provider.enqueue({ type: "text", text: "Still no call." });
    const stream = await client().responses.create({
      model: "openclaw",
      input: "weather?",
      tools: [{ type: "function", name: "get_weather", parameters: {}, strict: false }],
      tool_choice: "required",
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.failed");
    // The prose was held back: a client never saw an answer that was then refused.
    expect(types).not.toContain("response.output_text.delta");
  });
});

describe("client-defined tools in responses", () => {
  const { running, client } = useEchoAgentGateway();
  const tool: OpenAI.Responses.FunctionTool = {
    type: "function",
    name: "get_weather",
    description: "The weather in a city.",
    parameters: { type: "object", properties: { city: { type: "string" } } },
    strict: false,
  };

  it("returns a function_call item, and function_call_output continues the turn", async () => {
    running.provider.enqueue({
      type: "tool-call",
      toolName: "get_weather",
      input: { city: "Rome" },
      toolCallId: "call_r1",
    });
    const first = await client().responses.create({
      model: "openclaw",
      input: "weather in Rome?",
      tools: [tool],
    });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "call_r1",
      name: "get_weather",
      arguments: '{"city":"Rome"}',
    });

    running.provider.enqueue({ type: "text", text: "Rome is warm." });
    const second = await client().responses.create({
      model: "openclaw",
      tools: [tool],
      input: [
        { role: "user", content: "weather in Rome?" },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: "call_r1", output: '{"temp":"28C"}' },
      ],
    });
    expect(second.output_text).toBe("Rome is warm.");
    expect(providerMessages(running.provider).at(-1)).toMatchObject({
      role: "tool",
      tool_call_id: "call_r1",
    });
  });

  it("streams the call as function_call events the SDK's stream helper accepts", async () => {
    running.provider.enqueue({
      type: "tool-call",
      toolName: "get_weather",
      input: { city: "Lima" },
      toolCallId: "call_l1",
    });
    const stream = client().responses.stream({ model: "openclaw", input: "weather in Lima?", tools: [tool] });
    let argumentsDone: string | undefined;
    stream.on("response.function_call_arguments.done", (event) => {
      argumentsDone = event.arguments;
    });
    const final = await stream.finalResponse();
    expect(argumentsDone).toBe('{"city":"Lima"}');
    expect(final.output.find((item) => item.type === "function_call")).toMatchObject({
      call_id: "call_l1",
      name: "get_weather",
    });
  });
});
