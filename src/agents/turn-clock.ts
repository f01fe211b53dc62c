/**
 * The time source of turn deadlines (queue and turn timeouts): the system's monotonic clock in
 * the gateway, a hand-driven one in tests, so that a timeout can be tested without sleeping.
 */
export interface TurnClock {
  /** Milliseconds on a monotonic scale: only differences mean anything. */
  now(): number;
  /** Calls `callback` after `ms`; returns the cancel. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const SYSTEM_TURN_CLOCK: TurnClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
