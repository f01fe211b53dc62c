import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { createSilentLogger } from "../../logging/index.js";
import { ManualClock } from "../../time/testing/manual-clock.js";
import type { AgentRunner, RunnerCrashHandler } from "../agent-runner.js";
import type { SandboxHost } from "../host-services/sandbox-service.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { AgentStarter, type RunnerFactory } from "./agent-starter.js";
import { type SupervisedAgent, superviseAgent } from "./supervised-agent.js";

/** A runner the test starts, fails and crashes by hand. */
class FakeRunner implements AgentRunner {
  readonly placement = "main" as const;
  closedWith: OpenClawError | undefined;
  private startCalled: () => void = () => undefined;
  /** Resolves when the starter has called start(). */
  readonly started = new Promise<void>((resolve) => {
    this.startCalled = resolve;
  });

  constructor(
    readonly crash: RunnerCrashHandler,
    private readonly startFailure?: unknown,
  ) {}

  async start(): Promise<void> {
    this.startCalled();
    if (this.startFailure) throw this.startFailure;
  }

  runTurn(): never {
    throw new Error("not in this test");
  }

  async close(reason: OpenClawError): Promise<void> {
    this.closedWith = reason;
  }

  stats() {
    return {};
  }
}

/** Everything the starter started has settled (its promise chains ran). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("AgentStarter", () => {
  let dir: string;
  let clock: ManualClock;
  let built: FakeRunner[];
  let failNextStart: unknown;
  let factory: RunnerFactory;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-starter-"));
    clock = new ManualClock();
    built = [];
    failNextStart = undefined;
    factory = (_plan, _settings, onCrash) => {
      const runner = new FakeRunner(onCrash, failNextStart);
      failNextStart = undefined;
      built.push(runner);
      return runner;
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function agentOf(input: unknown, id = "main"): SupervisedAgent {
    const fixture = agentFixture(input, dir);
    return superviseAgent(fixture.agent(id), {
      config: fixture.config,
      pool: { pool: undefined, fingerprint: "" },
      clock,
      logger: createSilentLogger(),
      settingsOf: fixture.settingsOf,
    });
  }

  const starter = (sandbox?: SandboxHost) => new AgentStarter(factory, sandbox, createSilentLogger());

  it("creates the workspace, starts the runner and makes the agent ready", async () => {
    const agent = agentOf({ agents: { main: {} } });
    await starter().start(agent);
    expect(agent.state).toBe("ready");
    expect(agent.runner).toBe(built[0]);
    expect((await stat(join(dir, "workspace", "main"))).isDirectory()).toBe(true);
  });

  it("degrades an agent whose runner fails to start for good, with the reason and last error", async () => {
    const agent = agentOf({ agents: { main: {} } });
    failNextStart = new OpenClawError("OC_ERR_PLUGIN", "plugin /x.mjs exports no tools", {
      hint: "export one",
    });
    await starter().start(agent);
    expect(agent.state).toBe("degraded");
    expect(agent.runner).toBeUndefined();
    expect(agent.reason).toBe("plugin /x.mjs exports no tools\n  fix: export one");
    expect(agent.snapshot().lastError).toBe("plugin /x.mjs exports no tools");
  });

  it("restarts a crashed agent after its back-off, on the clock, and counts the restart", async () => {
    const agent = agentOf({ agents: { main: { restart: { backoffMs: 250 } } } });
    const start = starter();
    await start.start(agent);
    built[0]!.crash(new OpenClawError("OC_ERR_AGENT_CRASHED", "thread exited with code 1"));
    expect(agent.state).toBe("restarting");
    expect(agent.reason).toBe("restarting in 250 ms after: thread exited with code 1");
    expect(agent.snapshot().lastError).toBe("thread exited with code 1");
    clock.advance(249);
    expect(built).toHaveLength(1);
    clock.advance(1);
    expect(built).toHaveLength(2);
    await built[1]!.started;
    await settled();
    expect(agent.state).toBe("ready");
    expect(agent.runner).toBe(built[1]);
    expect(agent.snapshot()).toMatchObject({ restarts: 1, recentRestarts: 1 });
  });

  it("treats a crash while starting like any crash", async () => {
    const agent = agentOf({ agents: { main: { restart: { backoffMs: 100 } } } });
    failNextStart = new OpenClawError("OC_ERR_AGENT_CRASHED", "did not start within 30 s");
    await starter().start(agent);
    expect(agent.state).toBe("restarting");
    clock.advance(100);
    await built[1]!.started;
    await settled();
    expect(agent.state).toBe("ready");
  });

  it("degrades after maxCrashes within the window and refuses the turns waiting for it", async () => {
    const agent = agentOf({
      agents: { main: { restart: { maxCrashes: 2, backoffMs: 100 }, limits: { maxConcurrent: 1 } } },
    });
    await starter().start(agent);
    const leave = await agent.admission.enter();
    const waiting = agent.admission.enter();
    built[0]!.crash(new OpenClawError("OC_ERR_AGENT_CRASHED", "first"));
    clock.advance(100);
    await built[1]!.started;
    await settled();
    const last = new OpenClawError("OC_ERR_AGENT_CRASHED", "second");
    built[1]!.crash(last);
    expect(agent.state).toBe("degraded");
    expect(agent.reason).toMatch(/^crashed 2 times within limits; last: second\. Fix the cause/);
    await expect(waiting).rejects.toBe(last);
    leave();
    clock.advance(60_000);
    expect(built).toHaveLength(2);
  });

  it("ignores the crash of a runner already replaced, and of a retired agent", async () => {
    const agent = agentOf({ agents: { main: {} } });
    const start = starter();
    await start.start(agent);
    await start.start(agent);
    built[0]!.crash(new OpenClawError("OC_ERR_AGENT_CRASHED", "old thread"));
    expect(agent.state).toBe("ready");
    agent.retire();
    built[1]!.crash(new OpenClawError("OC_ERR_AGENT_CRASHED", "after retirement"));
    expect(agent.state).toBe("ready");
    expect(clock.pendingTimers).toBe(0);
  });

  it("prepares a sandboxed agent's container first, and degrades it without a sandbox", async () => {
    const config = { agents: { boxed: { sandbox: { docker: { enabled: true } } } } };
    const prepared: string[] = [];
    const sandbox: SandboxHost = {
      prepare: async (agentId) => {
        prepared.push(agentId);
      },
      exec: () => Promise.reject(new Error("not here")),
      release: async () => undefined,
    };
    const withSandbox = agentOf(config, "boxed");
    await starter(sandbox).start(withSandbox);
    expect(prepared).toEqual(["boxed"]);
    expect(withSandbox.state).toBe("ready");
    const without = agentOf(config, "boxed");
    await starter().start(without);
    expect(without.state).toBe("degraded");
    expect(without.reason).toMatch(/needs a Docker sandbox, and none is set up/);
  });
});
