import type { TurnClock } from "./turn-clock.js";

/**
 * A session's turns run one at a time, in the order they arrived. Each turn is given the one
 * before it to wait on; the next waits for this one and, should this one give up waiting early
 * (its queue timeout), for the one before it still: a session's turns never overlap.
 */
export class SessionOrder {
  private readonly tails = new Map<string, Promise<unknown>>();

  schedule<T>(sessionKey: string, turn: (previous: Promise<unknown> | undefined) => Promise<T>): Promise<T> {
    const previous = this.tails.get(sessionKey);
    const run = turn(previous);
    const tail = Promise.allSettled(previous ? [previous, run] : [run]);
    this.tails.set(sessionKey, tail);
    void tail.then(() => {
      if (this.tails.get(sessionKey) === tail) this.tails.delete(sessionKey);
    });
    return run;
  }
}

/**
 * Waits until the session's previous turn is done, or gives up once `limitMs` have passed since
 * the turn arrived (with `onTimeout`'s error), or when the turn is aborted.
 */
export function waitForPreviousTurn(
  previous: Promise<unknown>,
  options: {
    clock: TurnClock;
    arrivedAt: number;
    limitMs: number;
    signal: AbortSignal;
    onTimeout(waitedMs: number, limitMs: number): unknown;
  },
): Promise<void> {
  const { clock, arrivedAt, limitMs, signal } = options;
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown) => {
      cancelTimer();
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => settle(signal.reason);
    const cancelTimer = clock.setTimer(
      () => settle(options.onTimeout(clock.now() - arrivedAt, limitMs)),
      arrivedAt + limitMs - clock.now(),
    );
    signal.addEventListener("abort", onAbort, { once: true });
    previous.then(
      () => settle(),
      () => settle(),
    );
  });
}
