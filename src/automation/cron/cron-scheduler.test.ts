import { describe, expect, it } from "vitest";
import type { CronClock } from "./cron-clock.js";
import type { CronDelivery, CronJob } from "./cron-job.js";
import { CronScheduler } from "./cron-scheduler.js";
import { MemoryCronStore } from "./memory-cron-store.js";

/** A clock moved by hand: timers fire only when the test advances past them. */
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
  /** Moves to `to`, firing due timers in order. */
  advance(to: number): void {
    this.time = to;
    for (const [id, timer] of [...this.timers.entries()].sort(([, a], [, b]) => a.at - b.at)) {
      if (timer.at <= to) {
        this.timers.delete(id);
        timer.callback();
      }
    }
  }
  nextTimerAt(): number | undefined {
    return Math.min(...[...this.timers.values()].map((timer) => timer.at));
  }
}

const job = (extra: Partial<CronJob> = {}): CronJob => ({
  id: "j1",
  name: "ticker",
  agentId: "main",
  schedule: { kind: "every", everyMs: 1000, anchorMs: 10_000 },
  message: "tick",
  session: { kind: "isolated" },
  missed: "skip",
  enabled: true,
  createdAtMs: 10_000,
  updatedAtMs: 10_000,
  ...extra,
});

function harness(start: number, options: { turn?: (text: string) => Promise<string> } = {}) {
  const clock = new TestClock(start);
  const store = new MemoryCronStore();
  const turns: { sessionKey: string; runId: string; at: number }[] = [];
  const deliveries: { delivery: CronDelivery; text: string }[] = [];
  const scheduler = new CronScheduler({
    store,
    clock,
    effects: {
      turn: async (job, sessionKey, runId) => {
        turns.push({ sessionKey, runId, at: clock.now() });
        return options.turn ? options.turn(job.message) : `reply to ${job.message}`;
      },
      deliver: async (delivery, text) => {
        deliveries.push({ delivery, text });
      },
      sessionKeyOf: (job, runId) => `agent:${job.agentId}:cron:${job.id}:run:${runId}`,
    },
  });
  /** Advances to `to` and lets the runs it started finish. */
  const advance = async (to: number) => {
    clock.advance(to);
    await scheduler.idle();
  };
  return { clock, store, scheduler, turns, deliveries, advance };
}

describe("CronScheduler with a test clock", () => {
  it("fires each slot once, claimed before its turn, and sleeps until the next slot", async () => {
    const { store, scheduler, turns, advance, clock } = harness(10_500);
    let claimedBeforeTurn = false;
    await store.add(job());
    const original = store.claimSlot.bind(store);
    store.claimSlot = async (...args) => {
      const run = await original(...args);
      claimedBeforeTurn = turns.length === 0 && run !== undefined;
      return run;
    };
    await scheduler.start();
    await scheduler.idle();
    expect(turns).toHaveLength(0);
    expect(clock.nextTimerAt()).toBe(11_000);
    await advance(11_000);
    expect(claimedBeforeTurn).toBe(true);
    await advance(12_000);
    await advance(12_400);
    await advance(13_000);
    expect(turns.map((turn) => turn.at)).toEqual([11_000, 12_000, 13_000]);
    const runs = await store.runs("j1");
    expect(runs.map((run) => [run.slotMs, run.outcome, run.trigger])).toEqual([
      [13_000, "ok", "schedule"],
      [12_000, "ok", "schedule"],
      [11_000, "ok", "schedule"],
    ]);
    // A tick asked again for a claimed slot runs nothing.
    await scheduler.tick();
    await scheduler.idle();
    expect(turns).toHaveLength(3);
    await scheduler.stop();
  });

  it("folds slots that pass while a turn runs into one, never two turns of a job at once", async () => {
    let release: (() => void) | undefined;
    const { store, scheduler, turns, advance, clock } = harness(10_500, {
      turn: () => new Promise((resolve) => (release = () => resolve("done"))),
    });
    await store.add(job());
    await scheduler.start();
    clock.advance(11_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(turns).toHaveLength(1);
    clock.advance(14_200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(turns).toHaveLength(1);
    const finish = release as () => void;
    release = undefined;
    finish();
    // The turn's end looks again: slot 14 000 is due, 12 000 and 13 000 are folded into it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(turns).toHaveLength(2);
    (release as unknown as () => void)();
    await advance(14_200);
    // The run of 14 000 says it stands for 12 000 and 13 000 too.
    expect((await store.runs("j1")).map((run) => [run.slotMs, run.slots])).toEqual([
      [14_000, 3],
      [11_000, undefined],
    ]);
    await scheduler.stop();
  });

  it("a tick that comes late (a busy thread) runs the latest slot, its row standing for the ones passed", async () => {
    const { store, scheduler, turns, advance, clock } = harness(10_500);
    await store.add(job());
    await scheduler.start();
    await advance(11_000);
    // The timer for 12 000 fires only at 13 300: the thread was busy elsewhere.
    clock.time = 13_300;
    await advance(13_300);
    expect(turns.map((turn) => turn.at)).toEqual([11_000, 13_300]);
    expect((await store.runs("j1")).map((run) => [run.slotMs, run.slots])).toEqual([
      [13_000, 2],
      [11_000, undefined],
    ]);
    await scheduler.stop();
  });

  it("missed: skip records one skipped row for the slots that fell while down, and runs none", async () => {
    const { store, scheduler, turns, advance } = harness(20_500);
    await store.add(job({ lastSlotMs: 12_000 }));
    await scheduler.start();
    await scheduler.idle();
    expect(turns).toHaveLength(0);
    const [skipped] = await store.runs("j1");
    expect(skipped).toMatchObject({ trigger: "missed", outcome: "skipped", slotMs: 20_000, slots: 8 });
    await advance(21_000);
    expect(turns.map((turn) => turn.at)).toEqual([21_000]);
    await scheduler.stop();
  });

  it("missed: runOnce runs the latest missed slot once, whatever their number", async () => {
    const { store, scheduler, turns, advance } = harness(20_500);
    await store.add(job({ lastSlotMs: 12_000, missed: "runOnce" }));
    await scheduler.start();
    await scheduler.idle();
    expect(turns).toHaveLength(1);
    const [missed] = await store.runs("j1");
    expect(missed).toMatchObject({ trigger: "missed", outcome: "ok", slotMs: 20_000, slots: 8 });
    await advance(21_000);
    expect(turns).toHaveLength(2);
    await scheduler.stop();
  });

  it("a restart after a kill mid-turn: the claimed slot is interrupted, not run again", async () => {
    const first = harness(10_500, { turn: () => new Promise(() => undefined) });
    await first.store.add(
      job({ schedule: { kind: "at", at: new Date(11_000).toISOString() }, missed: "runOnce" }),
    );
    await first.scheduler.start();
    first.clock.advance(11_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.turns).toHaveLength(1);
    // The same store seen by a new process at 15 000: the first one is gone without a word.
    const second = new CronScheduler({
      store: first.store,
      clock: new TestClock(15_000),
      effects: {
        turn: async () => {
          throw new Error("must not run again");
        },
        deliver: async () => undefined,
        sessionKeyOf: () => "agent:main:main",
      },
    });
    await second.start();
    await second.idle();
    expect((await first.store.runs("j1")).map((run) => [run.slotMs, run.outcome])).toEqual([
      [11_000, "interrupted"],
    ]);
    await second.stop(0);
  });

  it("delivers the reply to the job's target; a failed delivery is the run's error", async () => {
    const { store, scheduler, deliveries } = harness(10_500);
    await store.add(job({ deliver: { channel: "telegram", target: "42" } }));
    const run = await scheduler.runNow((await store.get("j1")) as CronJob);
    expect(run).toMatchObject({ trigger: "manual", outcome: "ok", delivered: true });
    expect(deliveries).toEqual([{ delivery: { channel: "telegram", target: "42" }, text: "reply to tick" }]);
    // A manual run claims no slot.
    expect((await store.get("j1"))?.lastSlotMs).toBeUndefined();
    const failing = new CronScheduler({
      store,
      effects: {
        turn: async () => "hello",
        deliver: async () => {
          throw new Error("chat not found");
        },
        sessionKeyOf: () => "agent:main:main",
      },
    });
    const failed = await failing.runNow((await store.get("j1")) as CronJob);
    expect(failed).toMatchObject({ outcome: "error", delivered: false });
    expect(failed.error).toContain("chat not found");
    await scheduler.stop();
  });

  it("a disabled job does not fire", async () => {
    const { store, scheduler, turns, advance } = harness(10_500);
    await store.add(job({ enabled: false }));
    await scheduler.start();
    await advance(15_000);
    expect(turns).toHaveLength(0);
    await scheduler.stop();
  });
});

describe("CronScheduler while paused", () => {
  it("claims no slot while paused (a stopping gateway), and catches up with the latest once resumed", async () => {
    let paused = true;
    const clock = new TestClock(10_500);
    const store = new MemoryCronStore();
    const turns: number[] = [];
    const scheduler = new CronScheduler({
      store,
      clock,
      paused: () => paused,
      effects: {
        turn: async () => {
          turns.push(clock.now());
          return "ok";
        },
        deliver: async () => undefined,
        sessionKeyOf: () => "agent:main:main",
      },
    });
    await store.add(job());
    await scheduler.start();
    clock.advance(12_100);
    await scheduler.idle();
    expect(turns).toEqual([]);
    expect((await store.get("j1"))?.lastSlotMs).toBeUndefined();
    paused = false;
    await scheduler.tick();
    await scheduler.idle();
    expect(turns).toEqual([12_100]);
    expect((await store.runs("j1")).map((run) => run.slotMs)).toEqual([12_000]);
    await scheduler.stop();
  });
});
