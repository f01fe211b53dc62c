import type { RunLease, RunLock } from "../../storage/run-lock.js";

/** How a cluster picks the one gateway that polls an account. */
export interface LeadershipSettings {
  /** The storage's lease lock, shared by every gateway of the cluster. */
  lock: RunLock;
  /**
   * How long a lease lasts unless renewed: how long an account stays unpolled after its leader
   * died (kill -9, a lost host). Default 10 s.
   */
  ttlMs?: number;
  /** How often a gateway that is not the leader tries to become it. Default 2 s. */
  retryMs?: number;
}

export const DEFAULT_LEADER_TTL_MS = 10_000;
export const DEFAULT_LEADER_RETRY_MS = 2_000;

export interface AccountLeaderOptions extends LeadershipSettings {
  /** `channel:<channel>:<account>`. */
  key: string;
  /** This gateway holds the lease now: start polling. */
  onElected(): void;
  /** The lease is lost (taken by another after it lapsed, or not renewable in time): stop polling. */
  onDeposed(): Promise<void> | void;
  onError(error: Error): void;
}

/**
 * The lease that makes one gateway of a cluster the leader of a channel account: acquired, then
 * renewed every third of its TTL while held; the others retry every `retryMs` and one takes over
 * once it lapses. A leader that cannot renew in time (its storage unreachable) stands down before
 * its lease expires, so two gateways never poll at once while the lock's clock is believed.
 */
export class AccountLeader {
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private lease: RunLease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Epoch ms by which the lease must be renewed, or this gateway stands down. */
  private mustRenewBy = 0;

  constructor(private readonly options: AccountLeaderOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEADER_TTL_MS;
    this.retryMs = options.retryMs ?? DEFAULT_LEADER_RETRY_MS;
  }

  get isLeader(): boolean {
    return this.lease !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.campaign();
  }

  /** Stops renewing and campaigning, keeping the lease (if held) until `stop`: nothing is elected after it. */
  retire(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Retires and gives the lease back (call once this gateway stopped polling). */
  async stop(): Promise<void> {
    this.retire();
    const lease = this.lease;
    this.lease = undefined;
    if (lease) await this.options.lock.release(lease).catch((error) => this.options.onError(error as Error));
  }

  private async campaign(): Promise<void> {
    if (!this.running) return;
    let lease: RunLease | null = null;
    try {
      lease = await this.options.lock.acquire(this.options.key, this.ttlMs);
    } catch (error) {
      this.options.onError(error as Error);
    }
    if (!this.running) {
      if (lease) await this.options.lock.release(lease).catch(() => undefined);
      return;
    }
    if (!lease) {
      this.schedule(() => this.campaign(), this.retryMs);
      return;
    }
    this.lease = lease;
    this.mustRenewBy = Date.now() + this.ttlMs - this.renewEveryMs();
    this.schedule(() => this.renew(), this.renewEveryMs());
    this.options.onElected();
  }

  private async renew(): Promise<void> {
    const lease = this.lease;
    if (!this.running || !lease) return;
    let kept: boolean | undefined;
    try {
      kept = await this.options.lock.extend(lease, this.ttlMs);
    } catch (error) {
      this.options.onError(error as Error);
    }
    if (!this.running || this.lease !== lease) return;
    if (kept === true) {
      this.mustRenewBy = Date.now() + this.ttlMs - this.renewEveryMs();
      this.schedule(() => this.renew(), this.renewEveryMs());
      return;
    }
    // Not renewed: lost for sure (false), or unknown (the store failed) and too close to expiry
    // to keep polling on the chance it still holds.
    if (kept === false || Date.now() >= this.mustRenewBy) {
      this.lease = undefined;
      await this.options.onDeposed();
      this.schedule(() => this.campaign(), this.retryMs);
      return;
    }
    this.schedule(() => this.renew(), Math.min(this.retryMs, this.renewEveryMs()));
  }

  private renewEveryMs(): number {
    return Math.max(1, Math.floor(this.ttlMs / 3));
  }

  private schedule(run: () => Promise<void>, delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void run();
    }, delayMs);
    this.timer.unref();
  }
}
