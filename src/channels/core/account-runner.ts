import { toOpenClawError } from "../../errors.js";
import { AccountLeader, type LeadershipSettings } from "./account-leader.js";
import type { ChannelAccount, ChannelIdentity, InboundMessage, InboundSink } from "./channel-account.js";
import { holdContainment, runContained } from "./channel-containment.js";

/** `standby`: in a cluster, another gateway leads (polls) the account; this one waits to take over. */
export type AccountState = "starting" | "ready" | "degraded" | "standby" | "stopped";

export interface AccountStatus {
  channel: string;
  accountId: string;
  state: AccountState;
  /** Why it is degraded (the last error's message and code), or what it is waiting for. */
  detail?: string;
  errorCode?: string;
  identity?: ChannelIdentity;
  since: number;
  restarts: number;
  /** When the next reconnect is tried (degraded). */
  retryAt?: number;
  lastInboundAt?: number;
}

export interface AccountRunnerOptions {
  channel: string;
  accountId: string;
  create(): ChannelAccount;
  deliver(messages: readonly InboundMessage[]): Promise<void>;
  onReady(account: ChannelAccount): void;
  log(level: "debug" | "info" | "warn" | "error", message: string, details: Record<string, unknown>): void;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * In a cluster, for an account that polls or holds a socket: it runs only while this gateway
   * holds the account's leader lease (`channel:<channel>:<account>`), and stands by otherwise.
   */
  leadership?: LeadershipSettings;
}

const STANDBY_DETAIL = "another gateway of the cluster polls this account; this one takes over if it stops";

const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 60_000 };

/**
 * One channel account, kept running: started in its own contained scope, marked degraded with
 * the reason when it cannot start or fails later, restarted with exponential back-off (reset
 * after a minute of good health). Nothing an account does can throw into the gateway.
 */
export class AccountRunner {
  private current: ChannelAccount | undefined;
  private state: AccountState = "stopped";
  private detail: string | undefined;
  private errorCode: string | undefined;
  private identity: ChannelIdentity | undefined;
  private since = Date.now();
  private restarts = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt: number | undefined;
  private lastInboundAt: number | undefined;
  private readyAt = 0;
  private generation = 0;
  private releaseContainment: (() => void) | undefined;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly leader: AccountLeader | undefined;

  constructor(private readonly options: AccountRunnerOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.leader = options.leadership
      ? new AccountLeader({
          ...options.leadership,
          key: `channel:${options.channel}:${options.accountId}`,
          onElected: () => {
            this.options.log("info", "this gateway leads the channel account now", this.names());
            void this.launch();
          },
          onDeposed: () => {
            this.options.log(
              "warn",
              "the channel account's leader lease was lost; standing by",
              this.names(),
            );
            return this.standBy();
          },
          onError: (error) =>
            this.options.log("warn", "the channel account's leader lease could not be read or renewed", {
              ...this.names(),
              error: error.message,
            }),
        })
      : undefined;
  }

  private names() {
    return { channel: this.options.channel, account: this.options.accountId };
  }

  get key(): string {
    return `${this.options.channel}:${this.options.accountId}`;
  }

  /** The connected account, for sends; undefined while it is not ready. */
  get account(): ChannelAccount | undefined {
    return this.state === "ready" ? this.current : undefined;
  }

  /** The account object, connected or not (its `chunk` works either way). */
  get instance(): ChannelAccount | undefined {
    return this.current;
  }

  isReady(): boolean {
    return this.state === "ready";
  }

  start(): void {
    this.releaseContainment ??= holdContainment();
    if (!this.leader) {
      void this.launch();
      return;
    }
    this.detail = STANDBY_DETAIL;
    this.setState("standby");
    this.leader.start();
  }

  async stop(): Promise<void> {
    this.leader?.retire();
    await this.halt("stopped");
    // Given back only once this gateway stopped polling, so that the next leader never overlaps.
    await this.leader?.stop();
    this.releaseContainment?.();
    this.releaseContainment = undefined;
  }

  /** The lease went to another gateway: stop polling, keep trying to lead again. */
  private async standBy(): Promise<void> {
    await this.halt("standby");
    this.detail = STANDBY_DETAIL;
  }

  private async halt(state: "stopped" | "standby"): Promise<void> {
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = undefined;
    const account = this.current;
    this.current = undefined;
    this.setState(state);
    if (account) await this.safely(() => account.stop());
  }

  status(): AccountStatus {
    return {
      channel: this.options.channel,
      accountId: this.options.accountId,
      state: this.state,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.errorCode !== undefined ? { errorCode: this.errorCode } : {}),
      ...(this.identity ? { identity: this.identity } : {}),
      since: this.since,
      restarts: this.restarts,
      ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
      ...(this.lastInboundAt !== undefined ? { lastInboundAt: this.lastInboundAt } : {}),
    };
  }

  private async launch(): Promise<void> {
    const generation = ++this.generation;
    this.retryAt = undefined;
    this.setState("starting");
    let account: ChannelAccount;
    try {
      account = this.options.create();
    } catch (error) {
      this.degrade(error, generation);
      return;
    }
    this.current = account;
    const crash = (error: unknown) => {
      if (generation !== this.generation) return;
      this.options.log("error", "channel account crashed; restarting it", {
        channel: this.options.channel,
        account: this.options.accountId,
        error: toOpenClawError(error).message,
      });
      void this.restartAfter(error, generation);
    };
    const sink: InboundSink = {
      deliver: async (messages) => {
        this.lastInboundAt = Date.now();
        await this.options.deliver(messages);
      },
      fail: (error) => {
        if (generation !== this.generation) return;
        void this.restartAfter(error, generation);
      },
      warn: (message, details) =>
        this.options.log("warn", message, {
          channel: this.options.channel,
          account: this.options.accountId,
          ...details,
        }),
    };
    try {
      const identity = await runContained(this.key, crash, () => account.start(sink));
      if (generation !== this.generation) return;
      this.identity = identity;
      this.readyAt = Date.now();
      this.detail = undefined;
      this.errorCode = undefined;
      this.setState("ready");
      this.options.log("info", "channel account connected", {
        channel: this.options.channel,
        account: this.options.accountId,
        identity: identity.username ?? identity.id,
      });
      this.options.onReady(account);
    } catch (error) {
      await this.restartAfter(error, generation);
    }
  }

  private async restartAfter(error: unknown, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const account = this.current;
    this.current = undefined;
    if (account) await this.safely(() => account.stop());
    this.degrade(error, generation);
  }

  private degrade(error: unknown, generation: number): void {
    if (generation !== this.generation) return;
    const failure = toOpenClawError(error);
    // A minute of health forgives earlier failures: a flapping account backs off, a rare one does not.
    if (this.readyAt > 0 && Date.now() - this.readyAt > 60_000) this.failures = 0;
    this.failures += 1;
    this.restarts += 1;
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (this.failures - 1));
    this.detail = failure.hint ? `${failure.message} (fix: ${failure.hint})` : failure.message;
    this.errorCode = failure.code;
    this.setState("degraded");
    this.retryAt = Date.now() + delay;
    this.options.log("warn", "channel account degraded", {
      channel: this.options.channel,
      account: this.options.accountId,
      error: failure.message,
      code: failure.code,
      retryInMs: delay,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (generation === this.generation) void this.launch();
    }, delay);
    this.retryTimer.unref();
  }

  private setState(state: AccountState): void {
    if (this.state !== state) this.since = Date.now();
    this.state = state;
  }

  private async safely(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.options.log("warn", "channel account did not stop cleanly", {
        channel: this.options.channel,
        account: this.options.accountId,
        error: toOpenClawError(error).message,
      });
    }
  }
}
