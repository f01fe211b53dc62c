import { OpenClawError } from "../../errors.js";
import type { ResolvedLimits } from "../agent-settings.js";
import { HEARTBEAT_INTERVAL_MS } from "./worker-protocol.js";

const MB = 1024 * 1024;
/** How often a busy worker's heap is sampled from outside. */
const HEAP_SAMPLE_MS = 50;

export interface ThreadWatchdogOptions {
  /** The thread's name in the failures it reports (`agent "main"`, `agent pool thread 2`). */
  label: string;
  limits: Pick<ResolvedLimits, "maxHeapMb" | "watchdogMs">;
  /** Whether the thread has turns running: a busy thread's heap is sampled from outside. */
  busy: () => boolean;
  /** The thread's heap in use, read from outside it (V8 serves it through an interrupt). */
  readHeap: () => Promise<number>;
  /** Ends the thread with this failure. */
  terminate: (reason: OpenClawError) => void;
  /** Monotonic milliseconds; `performance.now` unless a test drives it. */
  now?: () => number;
}

/**
 * Watches one worker thread from the gateway's side: a heartbeat that does not come within
 * `limits.watchdogMs` (a blocked event loop) or a heap past `limits.maxHeapMb` ends the thread.
 * `limits.maxHeapMb` is enforced here, not by V8 (see hardHeapLimitMb).
 */
export class ThreadWatchdog {
  private lastHeartbeatAt = 0;
  private heapUsedBytes: number | undefined;
  private sampling = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(private readonly options: ThreadWatchdogOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get heapUsed(): number | undefined {
    return this.heapUsedBytes;
  }

  /** Whether the thread's event loop answered recently: a stalling thread stops being a target. */
  get responsive(): boolean {
    return this.now() - this.lastHeartbeatAt <= 4 * HEARTBEAT_INTERVAL_MS;
  }

  start(): void {
    this.lastHeartbeatAt = this.now();
    const { watchdogMs } = this.options.limits;
    const heapGuard = setInterval(() => this.sampleHeap(), HEAP_SAMPLE_MS);
    const watchdog = setInterval(() => this.checkHeartbeat(), Math.max(25, Math.min(1000, watchdogMs / 4)));
    heapGuard.unref();
    watchdog.unref();
    this.timers = [heapGuard, watchdog];
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** A heartbeat from the worker, with the heap it reports. */
  heartbeat(heapUsed: number): void {
    this.lastHeartbeatAt = this.now();
    this.checkHeap(heapUsed);
  }

  private checkHeartbeat(): void {
    const silentMs = this.now() - this.lastHeartbeatAt;
    const { watchdogMs } = this.options.limits;
    if (silentMs <= watchdogMs) return;
    this.stop();
    this.options.terminate(
      new OpenClawError(
        "OC_ERR_AGENT_CRASHED",
        `${this.options.label}'s event loop was blocked for ${Math.round(silentMs)} ms (limits.watchdogMs is ${watchdogMs})`,
        {
          hint: "a tool or plugin is running synchronous code without yielding; fix it or raise limits.watchdogMs",
        },
      ),
    );
  }

  private checkHeap(used: number): void {
    this.heapUsedBytes = used;
    const { maxHeapMb } = this.options.limits;
    if (used <= maxHeapMb * MB || this.stopped) return;
    this.stop();
    this.options.terminate(
      new OpenClawError(
        "OC_ERR_AGENT_CRASHED",
        `${this.options.label} ran out of memory: ${Math.round(used / MB)} MB of heap in use (limits.maxHeapMb is ${maxHeapMb})`,
        { hint: "a tool or plugin keeps too much in memory; fix it or raise limits.maxHeapMb" },
      ),
    );
  }

  /**
   * An idle worker reports its heap with each heartbeat. A busy one may not get to: a tight
   * allocation loop blocks its event loop, so then the heap is sampled from outside, which V8
   * serves through an interrupt even in the middle of that loop.
   */
  private sampleHeap(): void {
    const busy = this.options.busy() || this.now() - this.lastHeartbeatAt > 3 * HEARTBEAT_INTERVAL_MS;
    if (!busy || this.sampling || this.stopped) return;
    this.sampling = true;
    this.options
      .readHeap()
      .then((used) => this.checkHeap(used))
      .catch(() => undefined)
      .finally(() => {
        this.sampling = false;
      });
  }
}
