import type { ChannelAccount, OutboundTarget } from "./channel-account.js";
import { ChannelSendError } from "./channel-errors.js";

export interface RetryPolicy {
  /** Tries per send, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface OutboundSenderOptions {
  account: ChannelAccount;
  retry?: RetryPolicy;
  /** Injected in tests; waits `ms` or until aborted. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (error: ChannelSendError, attempt: number, delayMs: number) => void;
}

/**
 * Sends of one channel account: one conversation's sends go out in order, a retryable failure
 * is tried again with exponential back-off, and a platform's "wait N seconds" (Telegram's 429
 * `retry_after`) holds every send of the account until then, since such limits are per bot.
 * A send that still fails rejects with the last ChannelSendError; its caller keeps the reply
 * unsent in the inbox.
 */
export class OutboundSender {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private pausedUntil = 0;
  private readonly stopping = new AbortController();

  constructor(private readonly options: OutboundSenderOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? abortableSleep;
  }

  send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    return this.inOrder(target, () => this.options.account.send(target, markdown));
  }

  edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    return this.inOrder(target, () => this.options.account.edit(target, messageId, markdown));
  }

  /** Typing is a courtesy: one try, failures ignored. */
  typing(target: OutboundTarget): void {
    if (!this.options.account.capabilities.typing || Date.now() < this.pausedUntil) return;
    this.options.account.typing(target).catch(() => undefined);
  }

  /** Ends the waits of pending sends (they reject); the account is stopping. */
  close(): void {
    this.stopping.abort(new ChannelSendError("the channel is stopping", { retryable: true }));
  }

  private inOrder<T>(target: OutboundTarget, operation: () => Promise<T>): Promise<T> {
    const key = `${target.peer.kind}:${target.peer.id}:${target.threadId ?? ""}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.withRetry(operation));
    this.queues.set(key, next);
    const forget = () => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await this.sleep(wait, this.stopping.signal);
      if (this.stopping.signal.aborted) throw this.stopping.signal.reason;
      try {
        return await operation();
      } catch (thrown) {
        const error =
          thrown instanceof ChannelSendError
            ? thrown
            : new ChannelSendError(thrown instanceof Error ? thrown.message : String(thrown), {
                retryable: true,
                cause: thrown,
              });
        if (!error.retryable || attempt >= this.retry.maxAttempts) throw error;
        const delayMs =
          error.retryAfterMs ??
          Math.min(
            this.retry.maxDelayMs,
            this.retry.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2),
          );
        if (error.retryAfterMs !== undefined)
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delayMs);
        this.options.onRetry?.(error, attempt, delayMs);
        if (error.retryAfterMs === undefined) await this.sleep(delayMs, this.stopping.signal);
      }
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
