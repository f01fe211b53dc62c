/**
 * Turns posted to a worker in one pass of the event loop go as one message. Every postMessage
 * wakes the worker's thread, and on a loaded machine that wake-up (not the copy) is most of the
 * cost of a turn's post: under concurrent requests many turns start in the same pass, and one
 * message carries them all. A turn waits at most until the end of the current pass.
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
