import type { ResolvedRestartPolicy } from "./agent-settings.js";

/**
 * Crashes of one agent within the policy's window. It decides the back-off before the next
 * restart (doubling per crash in the window) and when restarting has stopped being useful.
 */
export class CrashHistory {
  private times: number[] = [];

  constructor(private readonly policy: ResolvedRestartPolicy) {}

  record(now = Date.now()): void {
    this.times = [...this.recent(now), now];
  }

  count(now = Date.now()): number {
    return this.recent(now).length;
  }

  /** True once `maxCrashes` crashes fall within `windowMs`: the agent is degraded instead. */
  exhausted(now = Date.now()): boolean {
    return this.count(now) >= this.policy.maxCrashes;
  }

  backoffMs(now = Date.now()): number {
    const crashes = Math.max(1, this.count(now));
    return Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (crashes - 1));
  }

  reset(): void {
    this.times = [];
  }

  private recent(now: number): number[] {
    return this.times.filter((time) => now - time < this.policy.windowMs);
  }
}
