import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { createSilentLogger } from "../../logging/index.js";
import { ManualClock } from "../../time/testing/manual-clock.js";
import type { AgentRunner } from "../agent-runner.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { DEGRADED_RETRY_AFTER_MS } from "./restart-policy.js";
import { superviseAgent } from "./supervised-agent.js";

const noPool = { pool: undefined, fingerprint: "" };

function fakeRunner(): AgentRunner {
  return {
    placement: "main",
    start: async () => undefined,
    runTurn: () => Promise.reject(new Error("not in this test")),
    close: async () => undefined,
    stats: () => ({ heapUsedBytes: 1234 }),
  };
}

function supervise(
  input: unknown,
  id = "main",
  settingsOf?: Parameters<typeof superviseAgent>[1]["settingsOf"],
) {
  const fixture = agentFixture(input, "/tmp/openclaw-test-state");
  const clock = new ManualClock();
  const agent = superviseAgent(fixture.agent(id), {
    config: fixture.config,
    pool: noPool,
    clock,
    logger: createSilentLogger(),
    settingsOf: settingsOf ?? fixture.settingsOf,
  });
  return { agent, clock, fixture };
}

describe("SupervisedAgent", () => {
  it("starts, becomes ready with its runner, and serves turns only then", () => {
    const { agent } = supervise({ agents: { main: { name: "Main" } } });
    expect(agent.state).toBe("starting");
    expect(() => agent.available()).toThrow('agent "main" is starting');
    const runner = fakeRunner();
    agent.starting(runner);
    expect(agent.ready(runner)).toBe(true);
    expect(agent.available()).toBe(runner);
    expect(agent.snapshot()).toMatchObject({
      id: "main",
      name: "Main",
      placement: "main",
      state: "ready",
      model: "dev/echo",
      usesDevModel: true,
      heapUsedBytes: 1234,
      turnsInFlight: 0,
      turnsCompleted: 0,
    });
  });

  it("ignores the start of a runner that was replaced meanwhile", () => {
    const { agent } = supervise({ agents: { main: {} } });
    const first = fakeRunner();
    const second = fakeRunner();
    agent.starting(first);
    agent.starting(second);
    expect(agent.ready(first)).toBe(false);
    expect(agent.state).toBe("starting");
    expect(agent.isCurrent(second)).toBe(true);
  });

  it("is degraded from the start when its settings do not resolve, and says why", () => {
    const { agent } = supervise({ agents: { main: {} } }, "main", () => {
      throw new OpenClawError("OC_ERR_MODEL_CONFIG", "no provider local", {
        hint: "add models.providers.local",
      });
    });
    expect(agent.settings).toBeUndefined();
    expect(agent.state).toBe("degraded");
    expect(agent.reason).toBe("no provider local\n  fix: add models.providers.local");
    const refusal = (() => {
      try {
        agent.available();
      } catch (error) {
        return error as OpenClawError;
      }
    })();
    expect(refusal?.code).toBe("OC_ERR_AGENT_UNAVAILABLE");
    expect(refusal?.details).toMatchObject({ state: "degraded", retryAfterMs: DEGRADED_RETRY_AFTER_MS });
  });

  it("gives its runner up when stopped or detached, and cancels a pending restart", () => {
    const { agent, clock } = supervise({ agents: { main: {} } });
    const runner = fakeRunner();
    agent.starting(runner);
    agent.ready(runner);
    expect(agent.detachRunner()).toBe(runner);
    expect(agent.runner).toBeUndefined();
    agent.starting(runner);
    agent.restarts.schedule(100, () => {
      throw new Error("must not run");
    });
    expect(agent.stop("stopped by an operator")).toBe(runner);
    expect(agent.state).toBe("stopped");
    clock.advance(1000);
    expect(clock.pendingTimers).toBe(0);
  });

  it("fingerprints what it is made of: equal configs, equal fingerprints", () => {
    const one = supervise({ agents: { main: { systemPrompt: "a" } } }).agent;
    const same = supervise({ agents: { main: { systemPrompt: "a" } } }).agent;
    const other = supervise({ agents: { main: { systemPrompt: "b" } } }).agent;
    expect(same.fingerprint).toBe(one.fingerprint);
    expect(other.fingerprint).not.toBe(one.fingerprint);
  });
});
