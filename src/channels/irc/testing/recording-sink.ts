import type { InboundMessage, InboundSink } from "../../core/channel-account.js";

/** An `InboundSink` that remembers everything, for tests to wait on. */
export interface RecordingSink extends InboundSink {
  readonly messages: InboundMessage[];
  readonly failures: unknown[];
  readonly warnings: Array<{ message: string; details?: Record<string, unknown> }>;
  /** Makes the next `deliver` calls throw, as a full disk would. */
  refuseDeliveries(refuse: boolean): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

export function recordingSink(): RecordingSink {
  const messages: InboundMessage[] = [];
  const failures: unknown[] = [];
  const warnings: Array<{ message: string; details?: Record<string, unknown> }> = [];
  const waiters = new Set<() => void>();
  let refusing = false;
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };

  return {
    messages,
    failures,
    warnings,
    async deliver(delivered) {
      if (refusing) throw new Error("disk full");
      messages.push(...delivered);
      notify();
    },
    fail(error) {
      failures.push(error);
      notify();
    },
    warn(message, details) {
      warnings.push(details ? { message, details } : { message });
      notify();
    },
    refuseDeliveries(refuse) {
      refusing = refuse;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `sink: condition not met within ${timeoutMs} ms (${messages.length} messages, ${failures.length} failures)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
  };
}
