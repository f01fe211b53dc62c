import type { InboundMessage, InboundSink } from "../../core/channel-account.js";

/** An `InboundSink` that keeps what it is given, and can be told to refuse deliveries. */
export class RecordingSink implements InboundSink {
  /** Every `deliver` call's messages, refused ones included, in order. */
  readonly attempts: InboundMessage[][] = [];
  /** The batches it accepted. */
  readonly delivered: InboundMessage[][] = [];
  readonly warnings: { message: string; details: Record<string, unknown> | undefined }[] = [];
  readonly failures: unknown[] = [];
  #refusals = 0;

  /** The next `times` deliveries throw, as a full disk would make the inbox. */
  refuseNext(times = 1): void {
    this.#refusals += times;
  }

  async deliver(messages: readonly InboundMessage[]): Promise<void> {
    this.attempts.push([...messages]);
    if (this.#refusals > 0) {
      this.#refusals -= 1;
      throw new Error("inbox unavailable (test)");
    }
    this.delivered.push([...messages]);
  }

  fail(error: unknown): void {
    this.failures.push(error);
  }

  warn(message: string, details?: Record<string, unknown>): void {
    this.warnings.push({ message, details });
  }

  messages(): InboundMessage[] {
    return this.delivered.flat();
  }
}
