import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import type { AgentRunner } from "./agent-runner.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import { testSupervisorOptions } from "./testing/supervisor-options.js";

describe("AgentSupervisor and config reloads", () => {
  let dir: string;
  let supervisor: AgentSupervisor;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-supervisor-"));
    supervisor = new AgentSupervisor(testSupervisorOptions(dir));
    await supervisor.apply(ConfigSchema.parse({ agents: { main: { systemPrompt: "first" } } }));
  });
  afterEach(async () => {
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Finding 7 of the reliability pass: one turn of 7 000 got 503 "replaced by a config reload".
  // A turn holding its slot while its agent is replaced must still run on the runner it was given.
  it("keeps a replaced runner open for a turn that holds its slot but has not started", async () => {
    const lease = await supervisor.acquire("main");
    const changes = await supervisor.apply(
      ConfigSchema.parse({ agents: { main: { systemPrompt: "second" } } }),
    );
    expect(changes.changed).toEqual(["main"]);
    // The gap in ChatService between acquire and runTurn (history read, transcript write): all
    // that the reload set going (the old runner's retirement) has had its turn to run.
    await new Promise((resolve) => setImmediate(resolve));
    const outcome = await lease.runner.runTurn({
      agentId: "main",
      sessionKey: "agent:main:reload",
      messages: [{ role: "user", content: "still there?" }],
      depth: 0,
      signal: new AbortController().signal,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });
    expect(outcome.text).toBe("You said: still there?");
    lease.release();
    // New turns go to the new runner.
    const next = await supervisor.acquire("main");
    expect(next.runner).not.toBe(lease.runner);
    next.release();
  });
});

describe("AgentSupervisor", () => {
  let dir: string;
  let supervisor: AgentSupervisor;
  const ask = (runner: AgentRunner, text: string) =>
    runner.runTurn({
      agentId: "main",
      sessionKey: "agent:main:test",
      messages: [{ role: "user", content: text }],
      depth: 0,
      signal: new AbortController().signal,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-supervisor-"));
    supervisor = new AgentSupervisor(testSupervisorOptions(dir));
  });
  afterEach(async () => {
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports what a reload added, changed and removed, and keeps the unchanged agents as they are", async () => {
    expect(await supervisor.apply(ConfigSchema.parse({ agents: { main: {}, helper: {} } }))).toEqual({
      added: ["main", "helper"],
      changed: [],
      removed: [],
    });
    const lease = await supervisor.acquire("main");
    lease.release();
    const changes = await supervisor.apply(
      ConfigSchema.parse({ agents: { main: {}, coder: { systemPrompt: "code" } } }),
    );
    expect(changes).toEqual({ added: ["coder"], changed: [], removed: ["helper"] });
    expect(supervisor.agentIds()).toEqual(["main", "coder"]);
    // Unchanged: the same agent, its counts kept.
    expect(supervisor.get("main").turnsCompleted).toBe(1);
    expect(supervisor.has("helper")).toBe(false);
    expect([...supervisor.workspaceRoots()]).toEqual([
      ["main", join(dir, "workspace", "main")],
      ["coder", join(dir, "workspace", "coder")],
    ]);
  });

  it("counts turns completed, failed and refused", async () => {
    await supervisor.apply(
      ConfigSchema.parse({ agents: { main: { limits: { maxConcurrent: 1, maxQueue: 0 } } } }),
    );
    const first = await supervisor.acquire("main");
    expect(() => supervisor.assertAvailable("main")).toThrow(
      expect.objectContaining({ code: "OC_ERR_AGENT_BUSY" }),
    );
    supervisor.countRejectedTurn("main");
    first.release(new Error("the model broke"));
    first.release();
    (await supervisor.acquire("main")).release();
    expect(supervisor.get("main")).toMatchObject({
      state: "ready",
      turnsCompleted: 1,
      turnsFailed: 1,
      turnsRejected: 2,
      recentTurns: 4,
      recentRejected: 2,
      lastError: "the model broke",
    });
  });

  it("refuses an unknown agent with the ones it has, and a degraded one with why", async () => {
    await supervisor.apply(
      ConfigSchema.parse({ agents: { main: {}, broken: { model: "local/gpt-oss-120b" } } }),
    );
    expect(() => supervisor.get("nope")).toThrow(
      expect.objectContaining({ code: "OC_ERR_UNKNOWN_AGENT", hint: "use one of: main, broken" }),
    );
    expect(supervisor.get("broken")).toMatchObject({ state: "degraded", model: "local/gpt-oss-120b" });
    await expect(supervisor.acquire("broken")).rejects.toMatchObject({
      code: "OC_ERR_AGENT_UNAVAILABLE",
      details: { state: "degraded", retryAfterMs: 30_000 },
    });
    expect(supervisor.get("broken").turnsRejected).toBe(1);
  });

  it("stops an agent on kill and starts it afresh on restart", async () => {
    await supervisor.apply(ConfigSchema.parse({ agents: { main: {} } }));
    const killed = await supervisor.kill("main");
    expect(killed).toMatchObject({
      state: "stopped",
      reason: "stopped by an operator (`openclaw agents kill`)",
    });
    await expect(supervisor.acquire("main")).rejects.toMatchObject({ code: "OC_ERR_AGENT_UNAVAILABLE" });
    const restarted = await supervisor.restart("main");
    expect(restarted).toMatchObject({ state: "ready", restarts: 1, recentRestarts: 1 });
    const lease = await supervisor.acquire("main");
    expect((await ask(lease.runner, "back?")).text).toBe("You said: back?");
    lease.release();
  });

  it("refuses a heap snapshot of an agent on the main thread", async () => {
    await supervisor.apply(ConfigSchema.parse({ agents: { main: {} } }));
    await expect(supervisor.writeHeapSnapshot("main", join(dir, "snapshots"))).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
  });

  it("refuses waiting turns on close", async () => {
    await supervisor.apply(ConfigSchema.parse({ agents: { main: { limits: { maxConcurrent: 1 } } } }));
    const running = await supervisor.acquire("main");
    const waiting = supervisor.acquire("main");
    await supervisor.close();
    await expect(waiting).rejects.toMatchObject({ message: "the gateway is shutting down" });
    running.release();
    expect(supervisor.agentIds()).toEqual([]);
  });
});
