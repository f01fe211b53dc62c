import { toOpenClawError } from "../../errors.js";
import type { ThreadBindings } from "./thread-bindings.js";

export interface BindingSweeperOptions {
  /** The longest wait between rounds; a binding ending sooner is swept when it ends. */
  intervalMs?: number;
  /** The shortest wait, so that a burst of changes cannot spin the sweeper. */
  minimumDelayMs?: number;
  log(level: "warn", message: string, details: Record<string, unknown>): void;
  now?: () => number;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_MINIMUM_DELAY_MS = 200;

/**
 * Ends expired bindings with their notice even when nobody writes in the thread. Each round
 * plans the next one for the earliest expiry (at most `intervalMs` away), so a binding with a
 * limit of seconds, as tests use, ends within moments of it and a quiet gateway wakes rarely.
 */
export class BindingSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly minimumDelayMs: number;

  constructor(
    private readonly bindings: ThreadBindings,
    private readonly options: BindingSweeperOptions,
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.minimumDelayMs = options.minimumDelayMs ?? DEFAULT_MINIMUM_DELAY_MS;
  }

  start(): void {
    this.stopped = false;
    void this.plan();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A binding was made or changed: the next round may have to come sooner. */
  changed(): void {
    if (!this.stopped && !this.running) void this.plan();
  }

  /** One round now; resolves with how many bindings it ended. */
  async sweepNow(): Promise<number> {
    this.running = true;
    try {
      return (await this.bindings.sweep()).length;
    } catch (error) {
      this.options.log("warn", "thread bindings not swept", { error: toOpenClawError(error).message });
      return 0;
    } finally {
      this.running = false;
    }
  }

  private async plan(): Promise<void> {
    let next: number;
    try {
      next = await this.bindings.nextExpiry();
    } catch {
      next = Infinity;
    }
    if (this.stopped) return;
    const delay = Math.max(
      this.minimumDelayMs,
      Math.min(this.intervalMs, next - (this.options.now ?? Date.now)()),
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      await this.sweepNow();
      if (!this.stopped) void this.plan();
    }, delay);
    this.timer.unref();
  }
}
