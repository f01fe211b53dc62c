import { describe, expect, it } from "vitest";
import { MemoryRunLock, type RunLeases } from "../../storage/memory/index.js";
import type { CronClock } from "./cron-clock.js";
import type { CronJob } from "./cron-job.js";
import { CronScheduler } from "./cron-scheduler.js";
import { MemoryCronStore } from "./memory-cron-store.js";

/** One hand-moved clock for the whole cluster: timers fire when the test advances past them. */
class TestClock implements CronClock {
  time: number;
  readonly timers = new Map<number, { at: number; callback: () => void }>();
  #next = 0;
  constructor(start: number) {
    this.time = start;
  }
  now = () => this.time;
  setTimer = (callback: () => void, delayMs: number) => {
    const id = ++this.#next;
    this.timers.set(id, { at: this.time + delayMs, callback });
    return id;
  };
  clearTimer = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  advance(to: number): void {
    this.time = to;
    for (const [id, timer] of [...this.timers.entries()].sort(([, a], [, b]) => a.at - b.at)) {
      if (timer.at <= to) {
        this.timers.delete(id);
        timer.callback();
      }
    }
  }
}

const job = (extra: Partial<CronJob> = {}): CronJob => ({
  id: "j1",
  name: "ticker",
  agentId: "main",
  schedule: { kind: "every", everyMs: 2000, anchorMs: 10_000 },
  message: "tick",
  session: { kind: "isolated" },
  missed: "skip",
  enabled: true,
  createdAtMs: 10_000,
  updatedAtMs: 10_000,
  ...extra,
});

/** Three gateways' schedulers on one store and one lease table: a cluster. */
function cluster(options: { turn?: (replica: number) => Promise<string> } = {}) {
  const clock = new TestClock(10_500);
  const store = new MemoryCronStore();
  const leases: RunLeases = new Map();
  const turns: { replica: number; at: number }[] = [];
  const schedulers = [0, 1, 2].map(
    (replica) =>
      new CronScheduler({
        store,
        clock,
        cluster: new MemoryRunLock({ now: clock.now, leases }),
        effects: {
          turn: async () => {
            turns.push({ replica, at: clock.now() });
            return options.turn ? options.turn(replica) : "done";
          },
          deliver: async () => {},
          sessionKeyOf: (cronJob, runId) => `agent:main:cron:${cronJob.id}:run:${runId}`,
        },
      }),
  );
  const settle = async () => {
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all(schedulers.map((scheduler) => scheduler.idle()));
    }
  };
  return { clock, store, schedulers, turns, settle };
}

describe("CronScheduler in a cluster", () => {
  it("runs each slot once across three gateways over 25 slots", async () => {
    const { clock, store, schedulers, turns, settle } = cluster();
    await store.add(job());
    await Promise.all(schedulers.map((scheduler) => scheduler.start()));
    for (let slot = 1; slot <= 25; slot++) {
      clock.advance(10_000 + slot * 2000);
      await settle();
    }
    expect(turns.map((turn) => turn.at)).toEqual(
      Array.from({ length: 25 }, (_, index) => 10_000 + (index + 1) * 2000),
    );
    const runs = await store.runs("j1", 100);
    expect(runs).toHaveLength(25);
    expect(new Set(runs.map((run) => run.slotMs)).size).toBe(25);
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
  });

  it("keeps a job's turns one at a time across gateways: slots passing meanwhile are folded", async () => {
    const releases: (() => void)[] = [];
    const { clock, store, schedulers, turns, settle } = cluster({
      turn: () => new Promise((resolve) => releases.push(() => resolve("done"))),
    });
    await store.add(job());
    await Promise.all(schedulers.map((scheduler) => scheduler.start()));
    clock.advance(12_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(turns).toHaveLength(1);
    // Three more slots pass while that turn runs: no other gateway starts the job meanwhile.
    for (const at of [14_000, 16_000, 18_000]) {
      clock.advance(at);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(turns).toHaveLength(1);
    releases.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(turns).toHaveLength(2);
    expect(turns[1]?.at).toBe(18_000);
    releases.shift()?.();
    await settle();
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
  });

  it("leaves another gateway's running run alone when it starts", async () => {
    const releases: (() => void)[] = [];
    const { clock, store, schedulers, settle } = cluster({
      turn: () => new Promise((resolve) => releases.push(() => resolve("done"))),
    });
    await store.add(job());
    await schedulers[0]!.start();
    clock.advance(12_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await schedulers[1]!.start();
    expect((await store.runs("j1")).map((run) => run.outcome)).toEqual(["running"]);
    releases.shift()?.();
    await settle();
    expect((await store.runs("j1")).map((run) => run.outcome)).toEqual(["ok"]);
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
  });
});
