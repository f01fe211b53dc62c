import type { TurnClock } from "../turn-clock.js";

/** A TurnClock that moves only when told (`advance`): timeouts tested without sleeping. */
export class ManualTurnClock implements TurnClock {
  private time = 0;
  private readonly timers = new Set<{ at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + Math.max(0, ms), callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Moves time forward, firing each timer that falls due, in order, at its own time. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }

  /** Timers not yet fired: a test can check that nothing was left behind. */
  get pendingTimers(): number {
    return this.timers.size;
  }
}
