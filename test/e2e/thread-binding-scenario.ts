import { expect, it } from "vitest";
import type { FakeReply, RecordedRequest } from "../../src/models/testing/fake-provider-server.js";
import { agentStatus, chat } from "./chat-http.js";
import { type RunningGateway, runCli, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

/**
 * What the thread-binding scenario needs of a platform, so that the same steps run against the
 * Telegram fake now and the Discord and Slack fakes later. Two conversations with allowed users:
 * `main`, where the lead spawns its helper, and `other`, which stays the lead's.
 */
export interface ThreadBindingPlatform {
  readonly name: string;
  /** `child`: each spawn opens a thread under the conversation; `conversation`: it is bound itself. */
  readonly threads: "child" | "conversation";
  gateway(): RunningGateway;
  env(): NodeJS.ProcessEnv;
  /** A user's message in a conversation, in one of its threads when `threadId` is given. */
  say(conversation: "main" | "other", text: string, threadId?: string): void;
  /** What the bot shows in the conversation (one thread of it, or outside any), oldest first, as plain text. */
  replies(conversation: "main" | "other", threadId?: string): string[];
  /** The threads the bot opened under the conversation, oldest first. */
  createdThreads(conversation: "main" | "other"): string[];
  /** Stops the gateway and starts it again on the same state, waiting until the channel is ready. */
  restart(): Promise<void>;
}

/**
 * The scripted models of the scenario's two agents (models `lead-model`, `analyzer-model` on
 * the fake OpenAI provider): the lead calls sessions_spawn { thread: true } when asked to
 * analyze, the analyzer calls the fault plugin's throw_later on "crash now"; every answer names
 * its agent, so a reply says who answered.
 */
export function scriptedAgents(request: RecordedRequest): FakeReply {
  const body = request.body as { model?: string; messages?: { role: string; content: unknown }[] };
  const agent = body.model?.includes("analyzer") ? "analyzer" : "lead";
  const messages = body.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === "tool") return { type: "text", text: `[${agent}] tool result: ${String(last.content)}` };
  const user = messages.filter((message) => message.role === "user").at(-1);
  const said = typeof user?.content === "string" ? user.content : JSON.stringify(user?.content ?? "");
  // In group chats the turn text starts with the speaker ("Olivia: …"): the script answers the words.
  const text = said.replace(/^[A-Z][a-z]+: /, "");
  if (agent === "lead" && text.includes("please analyze"))
    return {
      type: "tool-call",
      toolName: "sessions_spawn",
      input: {
        agentId: "analyzer",
        task: `analyze: ${text}`,
        thread: true,
        mode: "session",
        label: "analysis",
      },
    };
  if (agent === "lead" && text.includes("list agents"))
    return { type: "tool-call", toolName: "agents_list", input: {} };
  if (agent === "analyzer" && text.includes("crash now"))
    return { type: "tool-call", toolName: "throw_later", input: {} };
  return { type: "text", text: `[${agent}] You said: ${text}` };
}

/** The agents of the scenario, for the gateway's config. */
export function scenarioAgents(faultPlugin: string): Record<string, unknown> {
  return {
    lead: { model: "openai/lead-model", subagents: { allowAgents: ["analyzer"] } },
    analyzer: {
      model: "openai/analyzer-model",
      threadBound: true,
      plugins: [faultPlugin],
      restart: { backoffMs: 50, maxCrashes: 10 },
    },
  };
}

interface BindingRow {
  agentId: string;
  sessionKey: string;
  peer: string;
  threadId?: string;
  expiresAt: number | null;
}

async function bindings(platform: ThreadBindingPlatform): Promise<BindingRow[]> {
  const listed = await runCli(["channels", "bindings", "--json"], platform.env());
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as BindingRow[];
}

/** Waits until the conversation (thread) shows a reply satisfying `match`; returns it. */
async function replyIn(
  platform: ThreadBindingPlatform,
  conversation: "main" | "other",
  threadId: string | undefined,
  match: (text: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  return waitFor(() => platform.replies(conversation, threadId).find(match), timeoutMs);
}

/**
 * The scenario, as one `it` per step in order: each step starts from where the one before left.
 * Call inside a `describe` whose setup made `platform()` ready.
 */
export function threadBindingScenario(platform: () => ThreadBindingPlatform): void {
  // Where the helper lives: the new thread (child platforms) or the conversation itself.
  let helperThread: string | undefined;
  let helperSession = "";
  // Where the lead still answers while the helper is bound.
  const leadPlace = (): ["main" | "other", string | undefined] =>
    platform().threads === "child" ? ["main", undefined] : ["other", undefined];

  const spawn = async (request: string) => {
    const p = platform();
    const threadsBefore = p.createdThreads("main").length;
    p.say("main", request);
    if (p.threads === "child") {
      await waitFor(() => p.createdThreads("main").length > threadsBefore, 20_000);
      helperThread = p.createdThreads("main").at(-1);
    }
    await replyIn(p, "main", helperThread, (text) => text === `[analyzer] You said: analyze: ${request}`);
    const [binding] = await bindings(p);
    expect(binding).toMatchObject({
      agentId: "analyzer",
      sessionKey: expect.stringMatching(/^agent:analyzer:subagent:/),
    });
    helperSession = (binding as BindingRow).sessionKey;
  };

  it("spawns the helper with thread: true and binds the conversation to its new session", async () => {
    const p = platform();
    await spawn("please analyze the logs");
    // The lead was told of the binding by the tool's result.
    const told = await replyIn(p, "main", undefined, (text) => text.startsWith("[lead] tool result:"));
    expect(told).toContain('"status":"bound"');
    expect(told).toContain(helperSession);
    const listed = await bindings(p);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.threadId).toBe(helperThread);
    const status = await runCli(["channels", "status"], p.env());
    expect(status.stdout).toContain("Thread bindings");
    expect(status.stdout).toContain(helperSession);
    // The WebSocket's channels.status lists it in the channel's summary (the protocol's open part).
    const { client } = await TestWsClient.connect(p.gateway().url);
    const response = await client.request("channels.status", {});
    client.close();
    expect(response.ok).toBe(true);
    const summary = (response.payload as { channels: Record<string, { threadBindings?: unknown[] }> })
      .channels[p.name];
    expect(summary?.threadBindings).toEqual([
      expect.objectContaining({
        agentId: "analyzer",
        sessionKey: helperSession,
        expiresAt: expect.any(Number),
        expiresBy: "idle 24h",
      }),
    ]);
  });

  it("answers a message in the bound conversation by the helper, in its session and worker thread", async () => {
    const p = platform();
    p.say("main", "what did you find?", helperThread);
    await replyIn(p, "main", helperThread, (text) => text === "[analyzer] You said: what did you find?");
    const transcript = await runCli(["sessions", "show", helperSession], p.env());
    expect(transcript.stdout).toContain("what did you find?");
    const agents = await runCli(["agents", "list", "--json"], p.env());
    const analyzer = (
      JSON.parse(agents.stdout) as { id: string; placement: string; threadId?: number }[]
    ).find((agent) => agent.id === "analyzer");
    expect(analyzer).toMatchObject({ placement: "thread", threadId: expect.any(Number) });
  });

  it("leaves the lead's own conversation with the lead", async () => {
    const p = platform();
    const [conversation, thread] = leadPlace();
    p.say(conversation, "hello lead", thread);
    await replyIn(p, conversation, thread, (text) => text === "[lead] You said: hello lead");
  });

  it("answers /session unbind without a turn, and the next message goes to the lead", async () => {
    const p = platform();
    p.say("main", "/session unbind", helperThread);
    await replyIn(p, "main", helperThread, (text) => text.startsWith("🔓 Unbound from analyzer"));
    p.say("main", "who is there?", helperThread);
    await replyIn(p, "main", helperThread, (text) => text === "[lead] You said: who is there?");
    expect(await bindings(p)).toEqual([]);
  });

  it("keeps a new binding across a gateway restart", async () => {
    const p = platform();
    await spawn("please analyze again");
    await p.restart();
    p.say("main", "still you?", helperThread);
    await replyIn(p, "main", helperThread, (text) => text === "[analyzer] You said: still you?");
  });

  it("restarts a bound helper whose worker crashed; the conversation keeps routing to it, the lead is unaffected", async () => {
    const p = platform();
    const before = await agentStatus(p.gateway().url, "analyzer");
    const lead = await agentStatus(p.gateway().url, "lead");
    p.say("main", "crash now", helperThread);
    const restarted = await waitFor(async () => {
      const now = await agentStatus(p.gateway().url, "analyzer");
      return now.restarts > before.restarts && now.state === "ready" ? now : undefined;
    }, 20_000);
    expect(restarted.lastError).toMatch(/plugin timer exploded/);
    expect(restarted.threadId).not.toBe(before.threadId);
    p.say("main", "are you back?", helperThread);
    await replyIn(p, "main", helperThread, (text) => text === "[analyzer] You said: are you back?");
    const [conversation, thread] = leadPlace();
    p.say(conversation, "lead still fine?", thread);
    await replyIn(p, conversation, thread, (text) => text === "[lead] You said: lead still fine?");
    expect(await agentStatus(p.gateway().url, "lead")).toMatchObject({
      restarts: lead.restarts,
      state: "ready",
    });
    expect((await bindings(p))[0]?.sessionKey).toBe(helperSession);
  });

  it("ends the binding after a short idle limit set by /session idle, and says so", async () => {
    const p = platform();
    p.say("main", "/session idle 0.0005", helperThread);
    await replyIn(
      p,
      "main",
      helperThread,
      (text) => text === "⏱️ Idle limit of the binding to analyzer set to 1.8s.",
    );
    const where = helperThread === undefined ? "conversation" : "thread";
    await replyIn(
      p,
      "main",
      helperThread,
      (text) =>
        text === `⏱️ This ${where} is no longer bound to analyzer (idle 1.8s); messages go to lead again.`,
    );
    expect(await bindings(p)).toEqual([]);
    p.say("main", "after expiry", helperThread);
    await replyIn(p, "main", helperThread, (text) => text === "[lead] You said: after expiry");
  });

  it("lists whom the lead may spawn, with models, and refuses thread: true outside a channel", async () => {
    const p = platform();
    const [conversation, thread] = leadPlace();
    // Only a new reply: on child-thread platforms the spawn's own tool result is in this channel too.
    const before = p.replies(conversation, thread).length;
    p.say(conversation, "list agents", thread);
    const listed = await waitFor(
      () =>
        p
          .replies(conversation, thread)
          .slice(before)
          .find((text) => text.startsWith("[lead] tool result:")),
      20_000,
    );
    expect(listed).toContain('"id":"analyzer"');
    expect(listed).toContain('"model":"openai/analyzer-model"');
    const overHttp = await chat(p.gateway().url, "lead", "please analyze over http");
    expect(overHttp.status).toBe(200);
    expect(overHttp.text).toContain("thread: true needs a turn that came from a chat channel");
    expect(await bindings(p)).toEqual([]);
  });
}
