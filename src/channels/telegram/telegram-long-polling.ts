import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { InboundMessage, InboundSink } from "../core/channel-account.js";
import { channelAuthError } from "../core/channel-errors.js";
import { RECEIVED_UPDATE_KINDS } from "./normalize-telegram-update.js";
import { backoffDelayMs, sleep } from "./retry-backoff.js";
import type { TelegramLog } from "./telegram-account-options.js";
import { describeTelegramFailure, failureText, isTokenRefused } from "./telegram-api-failure.js";

export interface LongPollingSettings {
  api: Api;
  token: string;
  accountId: string;
  timeoutSeconds: number;
  sink: InboundSink;
  normalize: (update: Update) => InboundMessage | undefined;
  log: TelegramLog;
}

/**
 * The `getUpdates` loop, written out rather than `bot.start()` so that the offset only moves
 * once the sink has stored a batch: Telegram forgets every update below the offset of the next
 * call, so moving it earlier would lose messages when the store fails.
 */
export class TelegramLongPolling {
  readonly #settings: LongPollingSettings;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  /** The next offset to ask for: every update below it is stored. */
  #offset: number | undefined;
  /** The offset Telegram was last sent, which is what it has actually forgotten. */
  #confirmedOffset: number | undefined;

  constructor(settings: LongPollingSettings) {
    this.#settings = settings;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Ends the loop: aborts a poll in flight, lets a delivery in flight finish. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    await this.#confirmOffset();
  }

  async #run(): Promise<void> {
    const { api, timeoutSeconds } = this.#settings;
    const signal = this.#abort.signal;
    let failures = 0;
    let batch: Update[] | undefined;
    while (!signal.aborted) {
      let step = "getUpdates";
      try {
        if (!batch) {
          const offset = this.#offset;
          batch = await api.getUpdates(
            {
              ...(offset !== undefined ? { offset } : {}),
              timeout: timeoutSeconds,
              allowed_updates: [...RECEIVED_UPDATE_KINDS],
            },
            forGrammy(signal),
          );
          this.#confirmedOffset = offset;
        }
        step = "deliver";
        this.#offset =
          (await deliverUpdates(batch, this.#settings.normalize, this.#settings.sink)) ?? this.#offset;
        batch = undefined;
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        if (step === "deliver") {
          // The batch is kept and delivered again: the offset did not move, nothing is lost.
          const retryInMs = backoffDelayMs(failures);
          this.#settings.sink.warn("telegram updates could not be stored; retrying", {
            accountId: this.#settings.accountId,
            updates: batch?.length,
            retryInMs,
            reason: error instanceof Error ? error.message : String(error),
          });
          await sleep(retryInMs, signal);
          continue;
        }
        if (!(await this.#recoverFromPollFailure(error, failures))) return;
      }
    }
  }

  /** Warns and waits out a transient failure; false when the account cannot go on. */
  async #recoverFromPollFailure(error: unknown, failures: number): Promise<boolean> {
    const { accountId, sink, token } = this.#settings;
    const failure = describeTelegramFailure("getUpdates", error, token);
    if (isTokenRefused(failure)) {
      // The token was revoked while running: retrying cannot help, the supervisor decides.
      sink.fail(channelAuthError("telegram", accountId, "Unauthorized"));
      return false;
    }
    const retryAfterMs =
      failure.kind === "refused" && failure.errorCode === 429 && failure.retryAfterSeconds !== undefined
        ? failure.retryAfterSeconds * 1000
        : backoffDelayMs(failures);
    const conflict = failure.kind === "refused" && failure.errorCode === 409;
    sink.warn(
      conflict
        ? "telegram getUpdates conflict: another poller or a webhook uses this bot token; retrying"
        : `telegram ${failureText(failure)}; retrying`,
      {
        accountId,
        ...(failure.kind === "refused" ? { errorCode: failure.errorCode } : {}),
        retryInMs: retryAfterMs,
      },
    );
    await sleep(retryAfterMs, this.#abort.signal);
    return true;
  }

  /**
   * Tells Telegram about the last stored batch, which otherwise only the next poll would: without
   * it a restart gets that batch again (the inbox dedupes it, but it is wasted work).
   */
  async #confirmOffset(): Promise<void> {
    const offset = this.#offset;
    if (offset === undefined || offset === this.#confirmedOffset) return;
    try {
      await this.#settings.api.getUpdates(
        { offset, limit: 1, timeout: 0 },
        forGrammy(AbortSignal.timeout(2000)),
      );
      this.#confirmedOffset = offset;
    } catch (error) {
      const failure = describeTelegramFailure("getUpdates", error, this.#settings.token);
      this.#settings.log("debug", "telegram offset not confirmed at stop", { reason: failureText(failure) });
    }
  }
}

/**
 * Normalizes a batch and hands what the gateway takes to the sink in one call. Resolves with
 * the offset past the whole batch, updates it ignores (edits, reactions) included, so those are
 * not fetched again; rejects, without an offset, when the sink does.
 */
export async function deliverUpdates(
  batch: readonly Update[],
  normalize: (update: Update) => InboundMessage | undefined,
  sink: Pick<InboundSink, "deliver">,
): Promise<number | undefined> {
  const last = batch.at(-1);
  if (!last) return undefined;
  const messages = batch.map(normalize).filter((message) => message !== undefined);
  if (messages.length > 0) await sink.deliver(messages);
  return Math.max(...batch.map((update) => update.update_id)) + 1;
}

/**
 * grammY types its signal parameter with the `abort-controller` polyfill's class; at run time it
 * only calls `addEventListener`, which Node's own AbortSignal has.
 */
function forGrammy(signal: AbortSignal): NonNullable<Parameters<Api["getUpdates"]>[1]> {
  return signal as unknown as NonNullable<Parameters<Api["getUpdates"]>[1]>;
}
