import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

// Done-when 2: the official openai client completes streaming and non-streaming chats.
describe("the official openai npm client", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    home = await tempHome({
      agents: { helper: { model: "dev/echo", systemPrompt: "You help." }, analyst: { model: "dev/echo" } },
    });
    gateway = await startGateway(home);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused-until-auth", maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("lists the default agent's aliases, then one model per agent", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual([
      "openclaw",
      "openclaw/default",
      "openclaw/helper",
      "openclaw/analyst",
    ]);
  });

  it("retrieves one model by id, its aliases too", async () => {
    expect((await client.models.retrieve("openclaw/analyst")).id).toBe("openclaw/analyst");
    expect((await client.models.retrieve("openclaw/default")).id).toBe("openclaw/default");
    expect((await client.models.retrieve("agent:helper")).id).toBe("openclaw/helper");
    const failure = await client.models.retrieve("openclaw/nobody").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("routes to the agent x-openclaw-agent-id names, whatever the model says", async () => {
    const { response } = await client.chat.completions
      .create(
        { model: "openclaw/helper", messages: [{ role: "user", content: "hi" }] },
        { headers: { "x-openclaw-agent-id": "analyst" } },
      )
      .withResponse();
    expect(response.headers.get("x-openclaw-session-key")).toMatch(/^agent:analyst:openai:request:/);
    const unknown = await client.chat.completions
      .create(
        { model: "openclaw/helper", messages: [{ role: "user", content: "hi" }] },
        { headers: { "x-openclaw-agent-id": "nobody" } },
      )
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("records the turn under x-openclaw-session-key, refusing the reserved namespaces", async () => {
    const { response } = await client.chat.completions
      .create(
        { model: "openclaw", messages: [{ role: "user", content: "hi" }] },
        { headers: { "x-openclaw-session-key": "my-app:thread-7" } },
      )
      .withResponse();
    expect(response.headers.get("x-openclaw-session-key")).toBe("my-app:thread-7");
    for (const reserved of ["subagent:x", "cron:nightly", "agent:helper:acp:1"]) {
      const failure = await client.chat.completions
        .create(
          { model: "openclaw", messages: [{ role: "user", content: "hi" }] },
          { headers: { "x-openclaw-session-key": reserved } },
        )
        .catch((error: unknown) => error);
      expect(failure, reserved).toBeInstanceOf(OpenAI.BadRequestError);
    }
  });

  it("accepts x-openclaw-model naming the agent's model and refuses another", async () => {
    const same = await client.chat.completions.create(
      { model: "openclaw/helper", messages: [{ role: "user", content: "hi" }] },
      { headers: { "x-openclaw-model": "dev/echo" } },
    );
    expect(same.choices[0]?.message.content).toBe("You said: hi");
    const other = await client.chat.completions
      .create(
        { model: "openclaw/helper", messages: [{ role: "user", content: "hi" }] },
        { headers: { "x-openclaw-model": "openai/gpt-5.4" } },
      )
      .catch((error: unknown) => error);
    expect(other).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((other as Error).message)).toContain("x-openclaw-model");
  });

  it("completes a non-streaming chat", async () => {
    const completion = await client.chat.completions.create({
      model: "openclaw/helper",
      messages: [{ role: "user", content: "what is two plus two" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe("You said: what is two plus two");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("completes a streaming chat in several chunks, with usage", async () => {
    const stream = await client.chat.completions.create({
      model: "openclaw/analyst",
      messages: [{ role: "user", content: "stream these five words please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finishReason: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("You said: stream these five words please");
    expect(finishReason).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("raises NotFoundError for an unknown agent", async () => {
    const failure = await client.chat.completions
      .create({ model: "openclaw/nobody", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect((failure as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });
});
