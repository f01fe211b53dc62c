import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OpenClawError } from "../../errors.js";
import { ThreadWatchdog } from "./thread-watchdog.js";
import { HEARTBEAT_INTERVAL_MS } from "./worker-protocol.js";

const MB = 1024 * 1024;

describe("ThreadWatchdog", () => {
  let now: number;
  let ended: OpenClawError[];
  let busy: boolean;
  let heapFromOutside: number;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    now = 0;
    ended = [];
    busy = false;
    heapFromOutside = 10 * MB;
  });
  afterEach(() => vi.useRealTimers());

  const watch = (limits = { maxHeapMb: 64, watchdogMs: 1000 }) =>
    new ThreadWatchdog({
      label: 'agent "main"',
      limits,
      busy: () => busy,
      readHeap: async () => heapFromOutside,
      terminate: (reason) => ended.push(reason),
      now: () => now,
    });

  /** Moves both the watchdog's clock and its timers. */
  const pass = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it("ends a thread whose heartbeat stops for longer than watchdogMs, once", async () => {
    const watchdog = watch();
    watchdog.start();
    await pass(900);
    watchdog.heartbeat(MB);
    await pass(900);
    expect(ended).toEqual([]);
    await pass(400);
    expect(ended).toHaveLength(1);
    expect(ended[0]?.code).toBe("OC_ERR_AGENT_CRASHED");
    expect(ended[0]?.message).toMatch(
      /^agent "main"'s event loop was blocked for \d+ ms \(limits.watchdogMs is 1000\)/,
    );
    await pass(5000);
    expect(ended).toHaveLength(1);
  });

  it("ends a thread whose reported heap passes maxHeapMb", () => {
    const watchdog = watch();
    watchdog.start();
    watchdog.heartbeat(64 * MB);
    expect(ended).toEqual([]);
    expect(watchdog.heapUsed).toBe(64 * MB);
    watchdog.heartbeat(65 * MB);
    expect(ended[0]?.message).toBe(
      'agent "main" ran out of memory: 65 MB of heap in use (limits.maxHeapMb is 64)',
    );
  });

  it("samples a busy thread's heap from outside, and leaves an idle one alone", async () => {
    const watchdog = watch({ maxHeapMb: 64, watchdogMs: 10_000 });
    watchdog.start();
    heapFromOutside = 100 * MB;
    watchdog.heartbeat(MB);
    await pass(HEARTBEAT_INTERVAL_MS);
    watchdog.heartbeat(MB);
    expect(ended).toEqual([]);
    busy = true;
    await pass(HEARTBEAT_INTERVAL_MS);
    expect(ended[0]?.message).toMatch(/ran out of memory: 100 MB/);
  });

  it("is responsive while heartbeats come, and not once they stop", async () => {
    const watchdog = watch({ maxHeapMb: 64, watchdogMs: 10_000 });
    watchdog.start();
    expect(watchdog.responsive).toBe(true);
    await pass(5 * HEARTBEAT_INTERVAL_MS);
    expect(watchdog.responsive).toBe(false);
    watchdog.heartbeat(MB);
    expect(watchdog.responsive).toBe(true);
    watchdog.stop();
  });
});
