import { toOpenClawError } from "../../errors.js";
import { RecentCounter } from "../recent-counter.js";
import type { TurnClock } from "../turn-clock.js";
import type { AgentSnapshot } from "./agent-snapshot.js";

export type AgentCounts = Pick<
  AgentSnapshot,
  | "turnsCompleted"
  | "turnsFailed"
  | "turnsRejected"
  | "restarts"
  | "recentTurns"
  | "recentRejected"
  | "recentRestarts"
  | "lastError"
>;

/**
 * What one agent did, for the status endpoints: totals since it was configured, and the same
 * events over the recent window (RecentCounter, one implementation for turns, rejections and
 * restarts alike), measured on the supervisor's clock.
 */
export class AgentStatistics {
  private turnsCompleted = 0;
  private turnsFailed = 0;
  private turnsRejected = 0;
  private restarts = 0;
  private lastError: string | undefined;
  private readonly recentTurns = new RecentCounter();
  private readonly recentRejected = new RecentCounter();
  private readonly recentRestarts = new RecentCounter();

  constructor(private readonly clock: Pick<TurnClock, "now">) {}

  /** A turn got its slot and goes to the runner. */
  turnAdmitted(): void {
    this.recentTurns.add(this.clock.now());
  }

  /** A turn was refused at the door (busy, down, timed out behind its session): a 503 to its client. */
  turnRejected(): void {
    const now = this.clock.now();
    this.turnsRejected += 1;
    this.recentTurns.add(now);
    this.recentRejected.add(now);
  }

  /** A turn that had its slot ended, failing with `error` when one is given. */
  turnEnded(error?: unknown): void {
    if (error === undefined) {
      this.turnsCompleted += 1;
      return;
    }
    this.turnsFailed += 1;
    this.lastError = toOpenClawError(error).message;
  }

  /** The runner failed on its own (a crash, a start that failed): what the status shows last. */
  runnerFailed(message: string): void {
    this.lastError = message;
  }

  /** The agent serves again after a restart (after a crash, or by an operator). */
  restarted(): void {
    this.restarts += 1;
    this.recentRestarts.add(this.clock.now());
  }

  get restartCount(): number {
    return this.restarts;
  }

  counts(): AgentCounts {
    const now = this.clock.now();
    return {
      turnsCompleted: this.turnsCompleted,
      turnsFailed: this.turnsFailed,
      turnsRejected: this.turnsRejected,
      restarts: this.restarts,
      recentTurns: this.recentTurns.total(now),
      recentRejected: this.recentRejected.total(now),
      recentRestarts: this.recentRestarts.total(now),
      lastError: this.lastError,
    };
  }
}
