import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeDisk } from "../append-only/testing/fake-disk.js";
import { ConfigSchema } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { createSilentLogger } from "../logging/index.js";
import { TranscriptStore } from "../sessions/index.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import { ChatService, type TurnRecord } from "./chat-service.js";
import { testSupervisorOptions } from "./testing/supervisor-options.js";

const SLEEP_PLUGIN = fileURLToPath(new URL("../../examples/plugins/faults/slow.mjs", import.meta.url));

describe("ChatService", () => {
  let dir: string;
  let supervisor: AgentSupervisor;
  let chat: ChatService;
  let transcripts: TranscriptStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "chat-service-"));
    const logger = createSilentLogger();
    supervisor = new AgentSupervisor(
      testSupervisorOptions(dir, {
        logger,
        readCredential: ({ credential }) => (typeof credential === "string" ? credential : undefined),
      }),
    );
    await supervisor.apply(
      ConfigSchema.parse({
        agents: { main: { plugins: [SLEEP_PLUGIN] }, broken: { model: "local/gpt-oss-120b" } },
      }),
    );
    transcripts = new TranscriptStore(dir);
    chat = new ChatService(supervisor, transcripts, logger);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("uses the session transcript as context and records the turn", async () => {
    await chat.runTurn({ agentId: "main", sessionKey: "s1", input: { kind: "message", text: "first" } });
    await chat.runTurn({ agentId: "main", sessionKey: "s1", input: { kind: "message", text: "second" } });
    const history = await transcripts.history("s1");
    expect(history.map((message) => message.content)).toEqual([
      "first",
      "You said: first",
      "second",
      "You said: second",
    ]);
  });

  it("runs a run again under its id without writing its user line twice or showing it as history", async () => {
    await chat.runTurn({ agentId: "main", sessionKey: "s1", input: { kind: "message", text: "first" } });
    // What a replica killed mid-turn leaves: its user line, no answer.
    await transcripts.append("s1", "main", "run-k", [{ role: "user", content: "again" }]);
    await chat.runTurn({
      agentId: "main",
      sessionKey: "s1",
      runId: "run-k",
      input: { kind: "message", text: "again" },
    });
    expect((await transcripts.history("s1")).map((message) => message.content)).toEqual([
      "first",
      "You said: first",
      "again",
      "You said: again",
    ]);
    // The same id once its run has answered (a key reused after its TTL) is a new turn.
    await chat.runTurn({
      agentId: "main",
      sessionKey: "s1",
      runId: "run-k",
      input: { kind: "message", text: "again" },
    });
    expect((await transcripts.history("s1")).map((message) => message.content).slice(4)).toEqual([
      "again",
      "You said: again",
    ]);
  });

  it("runs the turns of one session one at a time, in order", async () => {
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((text) =>
        chat.runTurn({ agentId: "main", sessionKey: "serial", input: { kind: "message", text } }),
      ),
    );
    expect(results.map((result) => result.outcome.text)).toEqual(
      ["a", "b", "c", "d"].map((text) => `You said: ${text}`),
    );
    const contents = (await transcripts.history("serial")).map((message) => message.content);
    expect(contents).toEqual([
      "a",
      "You said: a",
      "b",
      "You said: b",
      "c",
      "You said: c",
      "d",
      "You said: d",
    ]);
  });

  it("fails fast for an unknown agent and for a degraded one, with the reason", async () => {
    await expect(
      chat.runTurn({ agentId: "ghost", sessionKey: "x", input: { kind: "message", text: "hi" } }),
    ).rejects.toMatchObject({ code: "OC_ERR_UNKNOWN_AGENT" });
    await expect(
      chat.runTurn({ agentId: "broken", sessionKey: "x", input: { kind: "message", text: "hi" } }),
    ).rejects.toMatchObject({
      code: "OC_ERR_AGENT_UNAVAILABLE",
      hint: expect.stringContaining("models.providers.local"),
    });
    expect(supervisor.list().find((agent) => agent.id === "broken")?.state).toBe("degraded");
  });

  it("rejects a turn whose caller gave up before it was admitted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      chat.runTurn({
        agentId: "main",
        sessionKey: "ab",
        input: { kind: "message", text: "hi" },
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(chat.activeRunCount()).toBe(0);
    const snapshot = supervisor.list().find((agent) => agent.id === "main");
    // Never admitted, so it is neither in flight nor counted as a failed turn.
    expect(snapshot).toMatchObject({ turnsInFlight: 0, turnsFailed: 0 });
  });

  it("aborts a running turn and counts it as failed", async () => {
    const controller = new AbortController();
    const turn = chat.runTurn({
      agentId: "main",
      sessionKey: "ab2",
      input: { kind: "message", text: '/tool sleep {"ms":5000}' },
      signal: controller.signal,
    });
    const started = Date.now();
    while (chat.activeRunCount() === 0 && Date.now() - started < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    await expect(turn).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(Date.now() - started).toBeLessThan(4_000);
    const snapshot = supervisor.list().find((agent) => agent.id === "main");
    expect(snapshot).toMatchObject({ turnsInFlight: 0, turnsFailed: 1 });
  });

  it("ends a turn that outlives limits.turnTimeoutMs with OC_ERR_TURN_TIMEOUT", async () => {
    await supervisor.apply(
      ConfigSchema.parse({
        agents: { main: {}, hasty: { plugins: [SLEEP_PLUGIN], limits: { turnTimeoutMs: 200 } } },
      }),
    );
    const started = Date.now();
    await expect(
      chat.runTurn({
        agentId: "hasty",
        sessionKey: "slow",
        input: { kind: "message", text: '/tool sleep {"ms":5000}' },
      }),
    ).rejects.toMatchObject({
      code: "OC_ERR_TURN_TIMEOUT",
      hint: expect.stringContaining("agents.hasty.limits.turnTimeoutMs"),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("keeps unchanged agents and rebuilds changed ones on apply", async () => {
    await supervisor.apply(
      ConfigSchema.parse({
        agents: {
          main: { plugins: [SLEEP_PLUGIN] },
          other: { systemPrompt: "old" },
          broken: { model: "local/gpt-oss-120b" },
        },
      }),
    );
    const unchanged = await supervisor.acquire("main");
    unchanged.release();
    const before = await supervisor.acquire("other");
    before.release();

    const changes = await supervisor.apply(
      ConfigSchema.parse({
        agents: { main: { plugins: [SLEEP_PLUGIN] }, other: { systemPrompt: "new" }, fresh: {} },
      }),
    );
    expect(changes).toEqual({ added: ["fresh"], changed: ["other"], removed: ["broken"] });
    // The unchanged agent keeps its runner; the changed one got a new one.
    const kept = await supervisor.acquire("main");
    expect(kept.runner).toBe(unchanged.runner);
    kept.release();
    const rebuilt = await supervisor.acquire("other");
    expect(rebuilt.runner).not.toBe(before.runner);
    rebuilt.release();
  });
});

describe("ChatService on a state dir that refuses writes", () => {
  let dir: string;
  let supervisor: AgentSupervisor;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "chat-service-disk-"));
    supervisor = new AgentSupervisor(testSupervisorOptions(dir));
    await supervisor.apply(ConfigSchema.parse({ agents: { main: {} } }));
  });
  afterEach(async () => {
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a turn before it runs while the state dir is known to fail", async () => {
    const transcripts = new TranscriptStore(dir);
    const refusal = new OpenClawError("OC_ERR_DISK_FULL", "full");
    const storage = {
      writable: false,
      assertWritable: () => {
        throw refusal;
      },
    };
    const chat = new ChatService(supervisor, transcripts, createSilentLogger(), undefined, storage);
    const records: TurnRecord[] = [];
    chat.onTurnEnd((record) => records.push(record));
    await expect(
      chat.runTurn({ agentId: "main", sessionKey: "s", input: { kind: "message", text: "hi" } }),
    ).rejects.toBe(refusal);
    expect(records.map((record) => [record.outcome, record.code, record.modelCalls.length])).toEqual([
      ["rejected", "OC_ERR_DISK_FULL", 0],
    ]);
    expect(await transcripts.history("s")).toEqual([]);
  });

  it("answers OC_ERR_DISK_FULL when the user's message cannot be saved, without calling the model", async () => {
    const disk = new FakeDisk(0);
    const transcripts = new TranscriptStore(dir, { open: disk.open });
    const chat = new ChatService(supervisor, transcripts, createSilentLogger());
    const records: TurnRecord[] = [];
    chat.onTurnEnd((record) => records.push(record));
    await expect(
      chat.runTurn({ agentId: "main", sessionKey: "s", input: { kind: "message", text: "hi" } }),
    ).rejects.toMatchObject({ code: "OC_ERR_DISK_FULL", spec: expect.objectContaining({ status: 507 }) });
    expect(records.map((record) => [record.outcome, record.code, record.modelCalls.length])).toEqual([
      ["error", "OC_ERR_DISK_FULL", 0],
    ]);
    disk.free = undefined;
    await chat.runTurn({ agentId: "main", sessionKey: "s", input: { kind: "message", text: "again" } });
    // Room for the message but not for its answer: the client is told which half was saved.
    const lineBytes = Buffer.byteLength(JSON.stringify((await transcripts.read("s"))[0])) + 1;
    disk.free = lineBytes + 10;
    await expect(
      chat.runTurn({ agentId: "main", sessionKey: "s", input: { kind: "message", text: "third" } }),
    ).rejects.toMatchObject({
      code: "OC_ERR_DISK_FULL",
      message: expect.stringContaining("the answer was not saved"),
    });
    disk.free = undefined;
    expect((await transcripts.history("s")).map((message) => message.content)).toEqual([
      "again",
      "You said: again",
      "third",
    ]);
    await transcripts.close();
  });
});
