/**
 * What a loopback fake's state tells its tests: every change, so a test waits for a condition
 * instead of sleeping. Shared by the fakes of each platform.
 */
export class ChangeSignal {
  readonly #listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Resolves once `predicate` holds, checked on every change and every 10 ms (some conditions
   * depend on sockets, not on the state); rejects with `predicate`'s error or after `timeoutMs`.
   */
  until(predicate: () => boolean, timeoutMs: number, fakeName: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let holds = false;
        try {
          holds = predicate();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (holds) {
          finish();
          resolve();
        }
      };
      const unsubscribe = this.onChange(check);
      const interval = setInterval(check, 10);
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${fakeName}: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        unsubscribe();
        clearInterval(interval);
        clearTimeout(timer);
      };
      check();
    });
  }
}
