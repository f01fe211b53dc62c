/**
 * The turn leases an agent's handle has handed out. A runner replaced by a config reload is
 * closed only once its leases are back: a turn that got its slot but has not yet reached the
 * runner (it is still reading its session's history) must find the runner open.
 */
export class LeaseCounter {
  private held = 0;
  private waiters: (() => void)[] = [];

  get count(): number {
    return this.held;
  }

  /** Counts one lease; the returned function gives it back (once). */
  hold(): () => void {
    this.held += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.held -= 1;
      if (this.held === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** Resolves when no lease is held, or after `timeoutMs` whatever is still held. */
  drained(timeoutMs: number): Promise<void> {
    if (this.held === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        const index = waiters.indexOf(done);
        if (index !== -1) waiters.splice(index, 1);
        resolve();
      }
      waiters.push(done);
    });
  }
}
