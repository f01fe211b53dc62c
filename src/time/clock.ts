/**
 * The time source of everything that waits (queue and turn timeouts, a provider's silence, the
 * file watchers' debounce): the system's monotonic clock in the gateway, a hand-driven one in
 * tests, so that a deadline is tested by moving time, not by sleeping and hoping the machine
 * was fast enough. A leaf: it imports nothing.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale: only differences mean anything. */
  now(): number;
  /**
   * Calls `callback` after `delayMs`; returns the cancel. A callback may return the promise of
   * the work it started (a reload), which a test clock waits for.
   */
  setTimer(callback: () => unknown, delayMs: number): () => void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    // A pending deadline is no reason to keep the process alive: its owner is.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
