import { describe, expect, it } from "vitest";
import { IdleRelease } from "./idle-release.js";
import { lastResortGc } from "./last-resort-gc.js";

/** Timers run by hand: each tick fires the one pending check. */
function harness(idleMs = 1000) {
  let pending: (() => void) | undefined;
  const state = { busy: false, activity: 0, releases: 0 };
  const release = new IdleRelease({
    idleMs: () => idleMs,
    source: { busy: () => state.busy, activity: () => state.activity },
    release: () => {
      state.releases++;
    },
    setTimer: (run) => {
      pending = run;
      return {};
    },
    clearTimer: () => {
      pending = undefined;
    },
  });
  const tick = (times = 1) => {
    for (let index = 0; index < times; index++) {
      const run = pending;
      pending = undefined;
      run?.();
    }
  };
  return { release, state, tick, pending: () => pending };
}

describe("IdleRelease", () => {
  it("releases once after a quiet period, not again until work came and went", () => {
    const { release, state, tick } = harness();
    release.start();
    tick(); // first look: records the count
    expect(state.releases).toBe(0);
    tick(2);
    expect(state.releases).toBe(1);
    tick(10);
    expect(state.releases).toBe(1);
    state.activity++;
    tick(); // work happened: the quiet period starts over
    tick();
    expect(state.releases).toBe(1);
    tick();
    expect(state.releases).toBe(2);
  });

  it("never releases while a turn runs, however long", () => {
    const { release, state, tick } = harness();
    state.busy = true;
    release.start();
    tick(20);
    expect(state.releases).toBe(0);
    state.busy = false;
    tick(3);
    expect(state.releases).toBe(1);
  });

  it("an idle time of 0 turns it off", () => {
    const { release, state, tick } = harness(0);
    release.start();
    tick(20);
    expect(state.releases).toBe(0);
  });

  it("stop leaves no timer behind", () => {
    const { release, pending } = harness();
    release.start();
    expect(pending()).toBeDefined();
    release.stop();
    expect(pending()).toBeUndefined();
  });
});

describe("lastResortGc", () => {
  it("collects this isolate's garbage, and leaves no gc global to contexts made afterwards", async () => {
    const gc = lastResortGc();
    expect(gc).toBeTypeOf("function");
    let collected = false;
    const registry = new FinalizationRegistry(() => {
      collected = true;
    });
    (() => {
      registry.register({ payload: new Array(1000).fill(1) }, "x");
    })();
    gc?.();
    // Finalizers run in a task after the collection.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(collected).toBe(true);
    const { runInNewContext } = await import("node:vm");
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });
});
