/** What happened to a wake: a new pending event, or the same text as the newest pending one. */
export type WakeOutcome = "queued" | "coalesced";

/** Pending events kept per session at most; the oldest go first (a flood of wakes is bounded). */
export const MAX_PENDING_WAKES = 100;

/**
 * System events waiting for a session's next turn (OpenClaw's wake queue). A wake adds its text
 * unless it repeats the newest pending one; the next turn in that session takes them all, be it
 * the one a "now" wake asks for or the heartbeat's.
 */
export class WakeQueue {
  private readonly pending = new Map<string, string[]>();

  enqueue(sessionKey: string, text: string): WakeOutcome {
    const events = this.pending.get(sessionKey) ?? [];
    if (events.at(-1) === text) return "coalesced";
    events.push(text);
    if (events.length > MAX_PENDING_WAKES) events.shift();
    this.pending.set(sessionKey, events);
    return "queued";
  }

  /** Takes the session's pending events, oldest first (none: an empty list). */
  drain(sessionKey: string): string[] {
    const events = this.pending.get(sessionKey) ?? [];
    this.pending.delete(sessionKey);
    return events;
  }

  size(sessionKey: string): number {
    return this.pending.get(sessionKey)?.length ?? 0;
  }
}
