import { describe, expect, it } from "vitest";
import { checkAgentAvailability, checkDegradedAgents, checkPoolRestarts } from "./agent-checks.js";
import type { AgentFact, PoolFact } from "./facts.js";

function agent(overrides: Partial<AgentFact> & { id: string }): AgentFact {
  return {
    threadBound: false,
    placement: "main",
    state: "ready",
    restarts: 0,
    recentRestarts: 0,
    turnsRejected: 0,
    turnsCompleted: 0,
    turnsFailed: 0,
    ...overrides,
  };
}

describe("checkAgentAvailability (seed: agent frequent 503 → threadBound)", () => {
  it("fails a shared agent that answers 503 often, naming it, the numbers and threadBound: true", () => {
    const [finding, ...rest] = checkAgentAvailability([
      agent({ id: "busy", turnsRejected: 6, turnsCompleted: 10, limits: { maxConcurrent: 1, maxQueue: 0 } }),
      agent({ id: "quiet", turnsCompleted: 50 }),
    ]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: "agents-thread-bound", status: "fail", subject: "busy" });
    expect(finding?.summary).toBe(
      `agent "busy" answered 503 to 6 of 16 turns, and threadBound is off (it runs on the gateway's main thread with every other shared agent)`,
    );
    expect(finding?.fix).toContain("openclaw config set agents.busy.threadBound true");
    expect(finding?.details?.[0]).toContain("limits.maxQueue (0)");
  });

  it("fails a pooled agent restarting often and says it shares the pool", () => {
    const [finding] = checkAgentAvailability([
      agent({ id: "flaky", placement: "pool", recentRestarts: 3, lastError: "boom" }),
    ]);
    expect(finding?.status).toBe("fail");
    expect(finding?.summary).toContain("restarted 3 times in the last 15 min");
    expect(finding?.summary).toContain("shares the worker pool's threads");
    expect(finding?.details).toEqual(["last error: boom"]);
  });

  it("leaves rare 503s alone: below the count, or a small share of many turns", () => {
    const findings = checkAgentAvailability([
      agent({ id: "a", turnsRejected: 2, turnsCompleted: 0 }),
      agent({ id: "b", turnsRejected: 5, turnsCompleted: 200 }),
      agent({ id: "c", recentRestarts: 1, restarts: 9 }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "ok" });
    expect(findings[0]?.summary).toContain("3 agents; thread-bound: none");
  });

  it("judges the last 15 minutes when the gateway reports them: an old burst is history", () => {
    const [quiet] = checkAgentAvailability([
      agent({ id: "old", turnsRejected: 50, turnsCompleted: 60, recentTurns: 10, recentRejected: 0 }),
    ]);
    expect(quiet).toMatchObject({ status: "ok" });
    const [busy] = checkAgentAvailability([
      agent({ id: "now", turnsRejected: 5, turnsCompleted: 500, recentTurns: 20, recentRejected: 5 }),
    ]);
    expect(busy).toMatchObject({ status: "fail", subject: "now" });
    expect(busy?.summary).toContain("answered 503 to 5 of 20 turns in the last 15 min");
  });

  it("only warns about a thread-bound agent: threadBound is not its fix", () => {
    const [finding] = checkAgentAvailability([
      agent({ id: "bound", threadBound: true, placement: "thread", turnsRejected: 4, turnsCompleted: 4 }),
    ]);
    expect(finding).toMatchObject({ status: "warn" });
    expect(finding?.summary).toContain("though it is thread-bound");
    expect(finding?.fix).toContain("limits.maxConcurrent");
    expect(finding?.fix).not.toContain("threadBound true");
  });
});

describe("checkPoolRestarts", () => {
  const pool: PoolFact = {
    size: 1,
    agents: ["flaky", "other"],
    threads: [{ slot: 1, restarts: 2, lastError: "event loop was blocked" }],
  };

  it("fails a pool that keeps crashing and names the agent whose turns failed", () => {
    const [finding] = checkPoolRestarts(pool, [
      agent({ id: "flaky", placement: "pool", turnsFailed: 2 }),
      agent({ id: "other", placement: "pool" }),
    ]);
    expect(finding?.status).toBe("fail");
    expect(finding?.summary).toContain("restarted 2 times (last: event loop was blocked)");
    expect(finding?.summary).toContain("flaky (2)");
    expect(finding?.fix).toContain("openclaw config set agents.flaky.threadBound true");
  });

  it("counts only the last 15 minutes when the gateway reports them", () => {
    const old = { ...pool, threads: [{ slot: 1, restarts: 9, recentRestarts: 0 }] };
    expect(checkPoolRestarts(old, [])).toEqual([]);
    const now = { ...pool, threads: [{ slot: 1, restarts: 9, recentRestarts: 3 }] };
    expect(checkPoolRestarts(now, [])[0]?.summary).toContain("restarted 3 times in the last 15 min");
  });

  it("is quiet for one restart or no pool", () => {
    expect(checkPoolRestarts({ ...pool, threads: [{ slot: 1, restarts: 1 }] }, [])).toEqual([]);
    expect(checkPoolRestarts(undefined, [])).toEqual([]);
  });
});

describe("checkDegradedAgents", () => {
  it("fails each degraded agent with its reason, and its own fix line as the fix", () => {
    const findings = checkDegradedAgents([
      agent({
        id: "needy",
        state: "degraded",
        reason:
          'secret "k" has no value\n  fix: set K where the gateway is started, then restart the gateway',
      }),
      agent({ id: "main", state: "ready" }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: "fail",
      summary: 'agent "needy" is degraded and refuses every turn: secret "k" has no value',
      fix: "set K where the gateway is started, then restart the gateway",
    });
  });

  it("falls back to a restart once fixed when the reason gives no fix", () => {
    const [finding] = checkDegradedAgents([agent({ id: "x", state: "degraded", reason: "crashed" })]);
    expect(finding?.fix).toBe("fix the cause, then openclaw agents restart x");
  });
});
