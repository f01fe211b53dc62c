import type { EventLoopUtilization } from "node:perf_hooks";
import type { Worker } from "node:worker_threads";

/**
 * A worker's event-loop utilisation, sampled by the gateway from outside the thread, so that a
 * busy agent cannot misreport it.
 */
export class ThreadLoad {
  private statsBase: EventLoopUtilization | undefined;
  private statsValue: number | undefined;
  private governorBase: EventLoopUtilization | undefined;

  constructor(private readonly performance: Worker["performance"]) {}

  /** Over the last second or so, for the agent's stats (undefined until there is a sample). */
  recent(): number | undefined {
    const now = this.performance.eventLoopUtilization();
    if (!this.statsBase) {
      this.statsBase = now;
      return this.statsValue;
    }
    const delta = this.performance.eventLoopUtilization(now, this.statsBase);
    if (delta.idle + delta.active >= 1000 || this.statsValue === undefined) {
      this.statsValue = delta.utilization;
      this.statsBase = now;
    }
    return this.statsValue;
  }

  /** Since the previous call, for the CPU governor's samples (undefined on the first). */
  sinceLastSample(): number | undefined {
    const now = this.performance.eventLoopUtilization();
    const base = this.governorBase;
    this.governorBase = now;
    return base ? this.performance.eventLoopUtilization(now, base).utilization : undefined;
  }

  /** The last value `recent` gave, for a thread that has exited. */
  last(): number | undefined {
    return this.statsValue;
  }
}
