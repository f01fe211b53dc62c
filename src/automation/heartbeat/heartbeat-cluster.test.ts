import { afterEach, describe, expect, it } from "vitest";
import { MemoryRunLock, type RunLeases } from "../../storage/memory/index.js";
import { clusterHeartbeatClaim, HeartbeatRunner } from "./heartbeat-runner.js";

const runners: HeartbeatRunner[] = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.stop();
});

const EVERY_MS = 30 * 60_000;

/** Three gateways' heartbeat runners on one lease table and one clock: a cluster. */
function cluster() {
  const clock = { now: 1_000_000 };
  const leases: RunLeases = new Map();
  const turns: number[] = [];
  for (let replica = 0; replica < 3; replica++) {
    const runner = new HeartbeatRunner({
      agents: () => [{ agentId: "main", settings: { every: "30m" } }],
      turn: async () => {
        turns.push(replica);
        return "NO_REPLY";
      },
      deliver: async () => {},
      now: () => clock.now,
      claim: clusterHeartbeatClaim(new MemoryRunLock({ now: () => clock.now, leases })),
    });
    runner.start();
    runners.push(runner);
  }
  return { clock, turns };
}

describe("heartbeats in a cluster", () => {
  it("beats once per period, whichever gateway's timer fires first", async () => {
    const { clock, turns } = cluster();
    for (let period = 0; period < 4; period++) {
      // Each gateway's timer fires, a little apart, within the period.
      for (const runner of runners) {
        await runner.beat("main");
        clock.now += 1000;
      }
      expect(turns).toHaveLength(period + 1);
      clock.now += EVERY_MS - 3000;
    }
    // The gateways that lost the claim recorded nothing: no beat of theirs to report.
    expect(runners.filter((runner) => runner.last().length > 0).length).toBeGreaterThanOrEqual(1);
  });

  it("lets another gateway beat once the one that beat is gone", async () => {
    const { clock, turns } = cluster();
    await runners[0]!.beat("main");
    runners[0]!.stop();
    clock.now += EVERY_MS;
    await runners[1]!.beat("main");
    await runners[2]!.beat("main");
    expect(turns).toEqual([0, 1]);
  });
});
