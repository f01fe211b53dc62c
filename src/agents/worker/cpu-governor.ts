import { setPriority } from "node:os";

/** How often a thread's event-loop utilisation is sampled. */
const SAMPLE_MS = 250;
/** Busy this long (ELU above BUSY) and the thread is demoted; idle this long, it is restored. */
export const BUSY_SAMPLES = 4;
export const IDLE_SAMPLES = 8;
const BUSY = 0.8;
const IDLE = 0.5;

/** Calls `sample` periodically until the returned function is called. */
export type SampleSchedule = (sample: () => void) => () => void;

/** Every SAMPLE_MS, on a timer that does not keep the process alive. */
export const EVERY_SAMPLE_MS: SampleSchedule = (sample) => {
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
};

export interface CpuGovernorOptions {
  /** The thread's kernel TID. */
  tid: number;
  /** The priority (nice value) of a demoted thread. */
  nice: number;
  /** The thread's event-loop utilisation since the previous sample (undefined: no sample). */
  utilization: () => number | undefined;
  onChange: (demoted: boolean, error?: string) => void;
  /** When to sample: EVERY_SAMPLE_MS in the gateway; a test samples by hand. */
  schedule: SampleSchedule;
}

/**
 * Lowers the OS scheduling priority of an agent thread that keeps its event loop busy (a plugin
 * burning CPU), and raises it again once it calms down. On a machine with fewer cores than busy
 * threads, this is what keeps a CPU-bound agent from adding scheduler latency to its siblings
 * and to the gateway's own thread: the kernel lets a waking light thread preempt the demoted
 * one at once. Linux applies setpriority to a single thread given its TID. Raising the
 * priority again needs CAP_SYS_NICE; without it a demoted thread stays demoted until restarted.
 */
export class CpuGovernor {
  private busySamples = 0;
  private idleSamples = 0;
  private cancel: (() => void) | undefined;
  private demotedNow = false;
  private canRestore = true;

  constructor(private readonly options: CpuGovernorOptions) {}

  get demoted(): boolean {
    return this.demotedNow;
  }

  start(): void {
    this.cancel ??= this.options.schedule(() => this.sample());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private sample(): void {
    const value = this.options.utilization();
    if (value === undefined) return;
    if (value >= BUSY) {
      this.busySamples += 1;
      this.idleSamples = 0;
    } else if (value <= IDLE) {
      this.idleSamples += 1;
      this.busySamples = 0;
    } else {
      // In between: neither a hog nor idle; both runs start over.
      this.busySamples = 0;
      this.idleSamples = 0;
    }
    if (!this.demotedNow && this.busySamples >= BUSY_SAMPLES) this.set(this.options.nice, true);
    else if (this.demotedNow && this.canRestore && this.idleSamples >= IDLE_SAMPLES) this.set(0, false);
  }

  private set(priority: number, demoted: boolean): void {
    try {
      setPriority(this.options.tid, priority);
      this.demotedNow = demoted;
      this.options.onChange(demoted);
    } catch (error) {
      if (!demoted) this.canRestore = false;
      this.options.onChange(this.demotedNow, (error as Error).message);
    }
  }
}
