import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { ManualClock } from "../../time/testing/manual-clock.js";
import { RECENT_WINDOW_MS } from "../recent-counter.js";
import { AgentStatistics } from "./agent-statistics.js";

describe("AgentStatistics", () => {
  it("counts turns run, failed and refused, the last error with them", () => {
    const statistics = new AgentStatistics(new ManualClock());
    statistics.turnAdmitted();
    statistics.turnEnded();
    statistics.turnAdmitted();
    statistics.turnEnded(new OpenClawError("OC_ERR_TOOL", "the tool broke"));
    statistics.turnRejected();
    expect(statistics.counts()).toEqual({
      turnsCompleted: 1,
      turnsFailed: 1,
      turnsRejected: 1,
      restarts: 0,
      // Refused turns were asked for too.
      recentTurns: 3,
      recentRejected: 1,
      recentRestarts: 0,
      lastError: "the tool broke",
    });
    statistics.runnerFailed("thread exited with code 1");
    expect(statistics.counts().lastError).toBe("thread exited with code 1");
  });

  it("forgets turns, rejections and restarts alike after the recent window, not the totals", () => {
    const clock = new ManualClock();
    const statistics = new AgentStatistics(clock);
    statistics.turnAdmitted();
    statistics.turnRejected();
    statistics.restarted();
    clock.advance(RECENT_WINDOW_MS / 2);
    statistics.restarted();
    expect(statistics.counts()).toMatchObject({ recentTurns: 2, recentRejected: 1, recentRestarts: 2 });
    clock.advance(RECENT_WINDOW_MS / 2);
    expect(statistics.counts()).toMatchObject({
      recentTurns: 0,
      recentRejected: 0,
      recentRestarts: 1,
      turnsRejected: 1,
      restarts: 2,
    });
    expect(statistics.restartCount).toBe(2);
  });
});
