/**
 * Messages about turns posted across the thread boundary in one pass of the event loop go as
 * one: the turns the gateway starts, and the turns' ends the worker reports. Every postMessage
 * wakes the receiving thread, and that wake-up (not the copy) is most of a post's cost: on the
 * 2-vCPU machine of the benchmarks a post to a sleeping thread takes 14–50 µs of the sender's
 * time, one to a running thread 2–5 µs (bench/overhead prints both). Under concurrent requests
 * many turns start (and end) in the same pass, and one message carries them all. A message
 * waits at most until the end of the current pass.
 */
export class TurnBatch<T> {
  private queue: T[] = [];
  private scheduled = false;

  constructor(
    /** Posts one message or several; throws like postMessage when one cannot be cloned. */
    private readonly send: (messages: T[]) => void,
    /** A message whose post failed (it could not be cloned): its turn is failed with `error`. */
    private readonly refused: (message: T, error: unknown) => void,
  ) {}

  add(message: T): void {
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Posts what is queued now: before any other message, so the worker sees them in order. */
  flush(): void {
    this.scheduled = false;
    const queued = this.queue;
    if (queued.length === 0) return;
    this.queue = [];
    try {
      this.send(queued);
    } catch {
      // One message the structured clone refuses must not cost the others their turn.
      for (const message of queued) {
        try {
          this.send([message]);
        } catch (error) {
          this.refused(message, error);
        }
      }
    }
  }
}
