interface Batch {
  texts: string[];
  done: Promise<void>;
  release: () => void;
  fail: (error: unknown) => void;
}

/**
 * Appends to files, one at a time per file and in call order. Texts for a file gather until the
 * end of the event loop's pass, and while one write to it is in flight, and go out together:
 * under load one write (one syscall) serves many turns, which is what keeps the chat path at
 * thousands of turns a second.
 * A batch the disk refuses fails every caller in it; the writer rolls it back whole.
 */
export class BatchedAppends {
  /** Per file: the last queued task, settled; present while anything is queued or in flight. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Per file: the batch still gathering texts (its write has not started). */
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly appendNow: (fileName: string, text: string) => Promise<void>) {}

  write(fileName: string, text: string): Promise<void> {
    let batch = this.batches.get(fileName);
    if (!batch) {
      let release!: () => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      const current: Batch = { texts: [], done, release, fail };
      batch = current;
      this.batches.set(fileName, current);
      const written = this.enqueue(fileName, async () => {
        // The texts of this pass of the event loop join too, not only those that came while an
        // earlier write was in flight: concurrent turns end in the same pass, and each write
        // is two trips to the thread pool (fstat, write). Nobody is answered before it is done.
        await new Promise((resolve) => setImmediate(resolve));
        // From here on, new texts start the next batch.
        if (this.batches.get(fileName) === current) this.batches.delete(fileName);
        await this.appendNow(fileName, current.texts.join(""));
      });
      written.then(current.release, current.fail);
    }
    batch.texts.push(text);
    return batch.done;
  }

  /** Whether a write to the file is gathering, queued or in flight. */
  isBusy(fileName: string): boolean {
    return this.batches.has(fileName) || this.queues.has(fileName);
  }

  /** Resolves once everything queued for the file so far is done (a read sees it). */
  idle(fileName: string): Promise<void> {
    return this.queues.get(fileName) ?? Promise.resolve();
  }

  /** Resolves once everything queued for every file so far is done. */
  async allIdle(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  /** Runs `task` in the file's queue: after the writes before it, before the ones after it. */
  enqueue(fileName: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(fileName) ?? Promise.resolve();
    const run = previous.then(task);
    const settled = run.catch(() => undefined);
    this.queues.set(fileName, settled);
    void settled.then(() => {
      if (this.queues.get(fileName) === settled) this.queues.delete(fileName);
    });
    return run;
  }
}
