import type { ResolvedRestartPolicy } from "../agent-settings.js";
import { CrashHistory } from "../crash-history.js";
import type { TurnClock } from "../turn-clock.js";
import type { AgentState } from "./agent-snapshot.js";

/** How long a client is told to wait before retrying a degraded agent (it needs an operator). */
export const DEGRADED_RETRY_AFTER_MS = 30_000;
/** The least a refused client is told to wait. */
const MIN_RETRY_AFTER_MS = 1000;

/** After a crash: restart after `restartInMs`, or stop restarting (`degradedAfter` crashes). */
export type CrashDecision = { restartInMs: number } | { degradedAfter: number };

/**
 * One agent's restart policy (`agents.<id>.restart`): the crashes within its window decide the
 * back-off before the next restart (doubling per crash) and when restarting has stopped being
 * useful and the agent is degraded instead. Holds the one pending restart, on the supervisor's
 * clock, so that a test drives back-off without sleeping.
 */
export class RestartPolicy {
  private readonly crashes: CrashHistory;
  private cancelTimer: (() => void) | undefined;
  private restartAt: number | undefined;

  constructor(
    policy: ResolvedRestartPolicy,
    private readonly clock: TurnClock,
  ) {
    this.crashes = new CrashHistory(policy);
  }

  /** Records a crash now and decides what follows it. */
  crashed(): CrashDecision {
    const now = this.clock.now();
    this.crashes.record(now);
    if (this.crashes.exhausted(now)) return { degradedAfter: this.crashes.count(now) };
    return { restartInMs: this.crashes.backoffMs(now) };
  }

  /** Calls `restart` after `delayMs`, replacing any restart still pending. */
  schedule(delayMs: number, restart: () => void): void {
    this.cancel();
    this.restartAt = this.clock.now() + delayMs;
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.restartAt = undefined;
      restart();
    }, delayMs);
  }

  /** Drops the pending restart, if any (the agent was stopped, replaced or restarted by hand). */
  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.restartAt = undefined;
  }

  /** An operator's restart: a fresh start, the crash history forgotten. */
  reset(): void {
    this.cancel();
    this.crashes.reset();
  }

  get pending(): boolean {
    return this.cancelTimer !== undefined;
  }

  /** How long a turn refused now should wait: until the pending restart, longer when degraded. */
  retryAfterMs(state: AgentState): number {
    if (state === "restarting" && this.restartAt !== undefined)
      return Math.max(MIN_RETRY_AFTER_MS, this.restartAt - this.clock.now());
    return state === "degraded" ? DEGRADED_RETRY_AFTER_MS : MIN_RETRY_AFTER_MS;
  }
}
