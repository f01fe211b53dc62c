/**
 * The start/stop discipline of a channel account: one `start` at a time, and a `stop` that
 * waits for a start in flight so that what the start opens (a listener, a socket, a poll) is
 * stopped too and nothing leaks.
 */
export class AccountStartGuard {
  #starting: Promise<unknown> | undefined;

  /** Whether a start is in flight. */
  get starting(): boolean {
    return this.#starting !== undefined;
  }

  async start<T>(connect: () => Promise<T>): Promise<T> {
    const starting = connect();
    this.#starting = starting;
    try {
      return await starting;
    } finally {
      this.#starting = undefined;
    }
  }

  /** Resolves once no start is in flight, however it ended. */
  async settled(): Promise<void> {
    await this.#starting?.catch(() => {});
  }
}
